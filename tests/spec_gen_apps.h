#pragma once
// The `app` directives of a generated spec (tests/spec_gen.h), with the
// templates they deploy.

#include <vector>

#include "tests/spec_gen.h"
#include "tests/spec_text.h"

namespace mrp::test {

/// `count` apps for the pipeline and regions already in `spec`: stack names as
/// long as the action names allow, `after` without cycles, templates that need
/// the capabilities the app gives, and parameters whose ParameterOverrides fit
/// CodePipeline's 1,000 characters. Fills spec.apps and spec.files.
std::vector<SpecNode> generate_apps(Rng& r, GeneratedSpec& spec, std::size_t count,
                                    bool change_set);

}  // namespace mrp::test
