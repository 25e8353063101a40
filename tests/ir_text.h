#pragma once
// The whole IR as text, one field a line, without source positions: two specs
// that mean the same lower to the same text. `mrp build --dump-ir` shows what
// a reader needs; this shows everything, for tests to compare.

#include <string>

#include "compiler/ir/ir.h"

namespace mrp::test {

std::string ir_text(const Ir& ir);

}  // namespace mrp::test
