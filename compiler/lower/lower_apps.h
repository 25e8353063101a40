#pragma once
// Lowering of the `app` blocks: each app's stack, template, capabilities and
// parameters, the order apps deploy in within a region, and the names of what
// each app deploys in each region.

#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/lower.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Fills `ir.apps` from the `app` directives (shapes already checked);
/// `ir.regions` and the pipeline's names must already be lowered.
void lower_apps(const std::vector<const Directive*>& apps, const LowerOptions& options, Ir& ir,
                Diagnostics& diags);

}  // namespace mrp
