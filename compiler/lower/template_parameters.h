#pragma once
// The app's parameters against the template's `Parameters` section: what
// CloudFormation checks when a deploy action creates or updates the stack,
// checked when the spec is compiled.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"

namespace mrp {

/// Checks that every parameter the spec passes to `app` is one `declared`
/// (the template's `Parameters`, or a null node) names; that every declared
/// parameter without a `Default` is set in each of `regions`; and that each
/// value meets its parameter's `AllowedValues`, `AllowedPattern`, length and
/// value bounds.
void check_template_parameters(const App& app, const YAML::Node& declared,
                               const std::vector<TargetRegion>& regions, Diagnostics& diags);

}  // namespace mrp
