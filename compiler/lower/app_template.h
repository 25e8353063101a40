#pragma once
// The app templates, read as part of lowering: what the pipeline must grant
// and pass follows from them as much as from the spec.

#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"
#include "compiler/base/result.h"
#include "compiler/ir/ir.h"

namespace mrp {

/// Reads each app template through `files`: checks that it exists, is YAML, is
/// a CloudFormation or SAM template, that the spec declares the capabilities
/// it needs and passes only parameters it declares; records in the app its
/// resource types (for the deploy role), whether it has a `Transform`, and
/// the Lambda runtimes it names (for lint).
void read_app_templates(Ir& ir, const FileReader& files, Diagnostics& diags);

/// What an app template asks of the `app` that names it, as the checks of
/// read_app_templates see it: what `mrp init` writes so that lint finds
/// nothing missing.
struct TemplateNeeds {
  std::vector<std::string> capabilities;         ///< exactly those lint requires, sorted
  std::vector<std::string> required_parameters;  ///< declared without a Default, in order
  struct SamBuild {
    std::string resource;  ///< its logical id
    std::string method;    ///< its `Metadata: BuildMethod`
  };
  std::vector<SamBuild> sam_builds;  ///< each resource that only `sam build` builds
};

/// The needs of the template `text`; a failure says why it is not a template.
Result<TemplateNeeds> template_needs(const std::string& text);

}  // namespace mrp
