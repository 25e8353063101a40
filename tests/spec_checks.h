#pragma once
// Checks of the files a generated spec compiles to against what the generator
// meant (tests/spec_gen.h): an oracle that does not go through the IR.

#include "compiler/emit/emit.h"
#include "tests/spec_gen.h"

namespace mrp::test {

/// The description, stages, bucket variables, build variables and commands,
/// branch, and each app's capabilities and parameters in every region are
/// those of the spec.
void check_meaning(const GeneratedSpec& spec, const Outputs& outputs);

/// Every name one file gives another resolves, read from the files alone:
/// each deploy action's template is packaged by the build script from the
/// app's template, for the action's region, into that region's bucket, and is
/// in the buildspec's artifacts; each artifact store is its region's bucket;
/// each variable the build script reads is one the CodeBuild project sets.
void check_references(const GeneratedSpec& spec, const Outputs& outputs);

}  // namespace mrp::test
