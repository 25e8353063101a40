#pragma once
// Lowering of `regions`: a plain list, a block of lists, or waves deployed one
// after another, each optionally behind a manual approval.

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Fills `ir.regions` and `ir.waves` from a `regions` directive; the pipeline
/// name must already be in `ir` (bucket names are checked against it).
void lower_regions(const Directive& d, Ir& ir, Diagnostics& diags);

}  // namespace mrp
