#pragma once
// Lowering of `source KIND { … }`: each kind's directives and the checks on
// their values.

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Fills `out` from a `source` directive whose shape (one argument, a block)
/// was already checked, and reports what is wrong with it.
void lower_source(const Directive& d, Source& out, Diagnostics& diags);

}  // namespace mrp
