#pragma once
// Checks of an app template's resources against how mrp deploys it: the same
// template, packaged by `aws cloudformation package`, deployed to every
// region of the spec in one account.

#include <functional>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/template_resources.h"

namespace mrp {

/// An app template as the checks see it.
struct TemplateView {
  const App& app;
  const YAML::Node& root;
  const std::vector<TemplateResource>& resources;
  const std::vector<MacroCall>& macros;            ///< every macro it calls
  std::function<SourcePos(const YAML::Mark&)> at;  ///< a yaml-cpp mark as a diagnostic position
};

/// global-names: with more than one region, each resource whose name must be
/// unique across the account's regions (IAM, CloudWatch dashboards,
/// CloudFront) or across AWS (S3 buckets) and that the template names alike in
/// every region: the deploy to the second region fails.
void check_global_names(const TemplateView& t, const std::vector<TargetRegion>& regions,
                        Diagnostics& diags);

/// build-toolchain: each BuildMethod whose tools a curated CodeBuild image
/// lacks (esbuild, cargo and cargo-lambda, uv) when no build step installs
/// them, nor (esbuild) the function's package.json `dependencies`.
void check_build_toolchain(const App& app, const Build& build, const FileReader& files,
                           Diagnostics& diags);

/// The CodeBuild runtimes (`runtime-versions`) `sam build` needs for the
/// functions of the apps it builds, on a curated image: a Python function
/// builds only with its own Python version, and the image selects one
/// version of each language. A second version of a language is a
/// build-toolchain warning.
void select_runtime_versions(Ir& ir, Diagnostics& diags);

/// code-path: each local path `aws cloudformation package` uploads that does
/// not exist next to the template (when no build command can make it), and
/// each SAM function whose code it would take from the template's whole
/// folder.
void check_code_paths(const TemplateView& t, const FileReader& files, bool build_has_commands,
                      Diagnostics& diags);

}  // namespace mrp
