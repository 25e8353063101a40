#pragma once
// Checks that run after lowering: what AWS would reject or warn about at
// deploy time, caught at commit time. Each check cites the AWS limit it
// enforces beside its code.

#include <filesystem>
#include <optional>

#include "compiler/date.h"
#include "compiler/diagnostics.h"
#include "compiler/emit.h"
#include "compiler/ir.h"

namespace mrp {

struct LintOptions {
  /// The spec's folder as the user named it, where the app template is read
  /// from; without it the app template is not checked (specs held in memory).
  std::optional<std::filesystem::path> spec_dir;
  /// The day the deprecation table is read for.
  Date as_of = Date::today();
};

/// Checks the lowered spec (with its roles derived).
void lint_spec(const Ir& ir, const LintOptions& options, Diagnostics& diags);

/// Checks limits that only the rendered files show (template size).
void lint_outputs(const Ir& ir, const Outputs& outputs, Diagnostics& diags);

/// A size the rendered pipeline template never exceeds, from the IR alone, so
/// that `mrp lint` renders the template only when it could be near the limit.
std::size_t pipeline_template_size_bound(const Ir& ir);

/// lint_outputs for when nothing else needs the rendered files: renders the
/// pipeline template only when pipeline_template_size_bound says it could be
/// too large.
void lint_template_size(const Ir& ir, Diagnostics& diags);

/// Reads each app template: checks that it exists, is YAML, is a
/// CloudFormation or SAM template, that the spec declares the capabilities it
/// needs and that its Lambda runtimes are not deprecated on `as_of`; records
/// its resource types in the app, for the deploy role's permissions.
void read_app_templates(Ir& ir, const std::filesystem::path& spec_dir, Date as_of,
                        Diagnostics& diags);

}  // namespace mrp
