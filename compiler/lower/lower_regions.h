#pragma once
// Lowering of `regions`: a plain list, a block of lists, or waves deployed one
// after another, each optionally behind a manual approval.

#include <string>
#include <string_view>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Fills `ir.regions` and `ir.waves` from a `regions` directive; the pipeline
/// name must already be in `ir` (bucket names are checked against it).
void lower_regions(const Directive& d, Ir& ir, Diagnostics& diags);

/// With waves in other accounts (`account` in a wave), fills
/// `ir.target_accounts` and what they imply: a KMS key per region for the
/// artifacts, the pipeline role's name, the key parameters; reports what
/// stops them. Call once the app templates were read, before the roles are
/// derived.
void lower_target_accounts(Ir& ir, Diagnostics& diags);

/// The error for an `account` whose id is not 12 digits, at the pipeline or in
/// a wave.
std::string not_an_account_id(std::string_view id);

/// `encryption kms`: a KMS key per region, and the roles under the
/// pipeline's IAM path that the key policy admits.
void use_artifact_keys(Ir& ir);

}  // namespace mrp
