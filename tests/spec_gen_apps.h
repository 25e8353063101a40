#pragma once
// The `app` directives of a generated spec (tests/spec_gen.h), with the
// templates they deploy.

#include <vector>

#include "tests/spec_gen.h"
#include "tests/spec_text.h"

namespace mrp::test {

/// A `permissions { … }` block: managed policies and `allow` lines with or
/// without resources, small enough for any role's policy (spec_gen.cpp).
SpecNode generate_permissions(Rng& r);

/// `count` apps for the pipeline and regions already in `spec`: stack names as
/// long as the action names allow, `after` without cycles, templates that need
/// the capabilities the app gives, and parameters whose ParameterOverrides fit
/// CodePipeline's 1,000 characters. Fills spec.apps and spec.files.
std::vector<SpecNode> generate_apps(Rng& r, GeneratedSpec& spec, std::size_t count,
                                    bool change_set);

}  // namespace mrp::test
