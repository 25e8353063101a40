#pragma once
// The record of what the generated files deploy (deployment-pipeline/deployed.json):
// the previous one read, the pipeline's home region pinned to it, and the new
// one computed, with what the spec no longer deploys kept for retire.sh.

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/lower.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Sets `ir.previous`, `ir.home` and `ir.record`. `home_region` is the spec's
/// `home-region` argument, or nullptr. Needs the regions and apps lowered.
void lower_record(const Argument* home_region, const LowerOptions& options, const FileReader& files,
                  Ir& ir, Diagnostics& diags);

/// The record's stacks in deploy order for `ir` as it is: the pipeline stack
/// in the home region, then each region's bucket stack and app stacks.
std::vector<DeployedStack> deployed_stacks(const Ir& ir);

}  // namespace mrp
