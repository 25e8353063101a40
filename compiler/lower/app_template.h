#pragma once
// The app templates, read as part of lowering: what the pipeline must grant
// and pass follows from them as much as from the spec.

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"
#include "compiler/ir/ir.h"

namespace mrp {

/// Reads each app template through `files`: checks that it exists, is YAML, is
/// a CloudFormation or SAM template, that the spec declares the capabilities
/// it needs and passes only parameters it declares; records in the app its
/// resource types (for the deploy role), whether it has a `Transform`, and
/// the Lambda runtimes it names (for lint).
void read_app_templates(Ir& ir, const FileReader& files, Diagnostics& diags);

}  // namespace mrp
