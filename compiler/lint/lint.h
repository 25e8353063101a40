#pragma once
// Checks that run after lowering: what AWS would reject or warn about at
// deploy time, caught at commit time. Each check cites the AWS limit it
// enforces beside its code.

#include <cstddef>

#include "compiler/base/date.h"
#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"

namespace mrp {

struct LintOptions {
  /// The day the deprecation tables are read for.
  Date as_of = Date::today();
};

/// Checks the lowered spec (with its app templates read and roles derived).
void lint_spec(const Ir& ir, const LintOptions& options, Diagnostics& diags);

/// A size the rendered pipeline template never exceeds, from the IR alone, so
/// that `mrp lint` renders the template only when it could be near the limit.
std::size_t pipeline_template_size_bound(const Ir& ir);

/// Whether the pipeline template could be larger than CloudFormation takes:
/// only then does `mrp lint` render it for check_pipeline_template_size.
bool pipeline_template_may_be_too_large(const Ir& ir);

/// Checks the size of the rendered pipeline template, `size` bytes.
void check_pipeline_template_size(const Ir& ir, std::size_t size, Diagnostics& diags);

}  // namespace mrp
