#include "compiler/emit/emit.h"
#include "compiler/emit/shell_out.h"

#include <algorithm>

#include <fmt/format.h>

namespace mrp {
namespace {

std::string bucket_check(const Ir& ir) {
  std::string vars;
  for (const auto& r : ir.regions) vars += "  " + r.bucket_env_var + "\n";
  if (ir.has_images())
    for (const auto& r : ir.regions) vars += "  " + r.image_repository_env_var + "\n";
  return fmt::format(
      R"sh(bucket_vars=(
{vars})
missing=()
for name in "${{bucket_vars[@]}}"; do
  if [[ -z "${{!name:-}}" ]]; then
    missing+=("$name")
  fi
done
if [[ ${{#missing[@]}} -gt 0 ]]; then
  echo "{script}: not set: ${{missing[*]}}" >&2
  echo "{why}" >&2
  exit 1
fi
)sh",
      fmt::arg("vars", vars), fmt::arg("script", ir.paths.build_script),
      fmt::arg("why", ir.has_images() ? "The pipeline's CodeBuild project sets a bucket and an "
                                        "image repository variable per region; to build by "
                                        "hand, set each to that region's artifact bucket and "
                                        "image repository URI."
                                      : "The pipeline's CodeBuild project sets one bucket "
                                        "variable per region; to build by hand, set each to "
                                        "that region's artifact bucket."));
}

std::string build_steps(const Ir& ir) {
  if (ir.build.run.empty()) return "";
  std::string out = "\n# Build steps from the spec, in order.\n";
  for (const auto& cmd : ir.build.run) out += cmd + "\n";
  return out;
}

// `sam build` for each app that needs it, once, before any region is
// packaged: into a folder of its own, which sam empties first.
std::string sam_build_steps(const Ir& ir) {
  std::string steps;
  for (const auto& app : ir.apps) {
    if (app.build_with != BuildWith::sam) continue;
    steps += fmt::format("echo {}\nsam build --template-file {} --build-dir {}\n",
                         shell_quote("Building app " + app.stack_name + " with sam build"),
                         shell_quote(app.template_path), shell_quote(app.sam_build_dir));
  }
  if (steps.empty()) return "";
  return "\n# Functions with a Metadata.BuildMethod (esbuild, cargo lambda, make, ...) and\n"
         "# container images are built by `sam build`, in the CodeBuild image itself (no\n"
         "# --use-container); what it writes is packaged below.\n" +
         steps;
}

std::string package_steps(const Ir& ir) {
  // One app keeps its template in the function, as the build script always
  // had it; several pass theirs as an argument.
  const bool one_app = ir.apps.size() == 1;
  const bool zip_apps =
      !std::all_of(ir.apps.begin(), ir.apps.end(), [](const App& a) { return a.has_images(); });
  std::string out =
      "\n# One packaged template per region: CloudFormation takes a template's code only\n"
      "# from a bucket in the stack's own region.\n";
  if (zip_apps)
    out += fmt::format(
        R"sh(package() {{
  local region=$1 bucket=$2 output=$3{template_arg}
  echo "Packaging {what} for $region"
  aws cloudformation package --region "$region" --template-file {template} \
    --s3-bucket "$bucket" --output-template-file "$output"
}}
)sh",
        fmt::arg("template_arg", one_app ? "" : " template=$4"),
        fmt::arg("what", one_app ? "the app" : "$template"),
        fmt::arg("template", one_app ? shell_quote(ir.apps[0].packaged_from()) : "\"$template\""));
  if (ir.has_images())
    out += R"sh(# An app with container images: `sam package` uploads its code as `aws
# cloudformation package` does, and pushes the images `sam build` made to the
# region's image repository (Lambda takes an image only from its own region).
package_images() {
  local region=$1 bucket=$2 repository=$3 output=$4 template=$5
  echo "Packaging $template for $region"
  sam package --region "$region" --template-file "$template" --s3-bucket "$bucket" \
    --image-repository "$repository" --output-template-file "$output"
}
)sh";
  out += fmt::format("mkdir -p {}\n", shell_quote(ir.paths.packaged_dir));
  for (std::size_t r = 0; r < ir.regions.size(); ++r) {
    const TargetRegion& region = ir.regions[r];
    for (const auto& app : ir.apps) {
      const std::string output = shell_quote(app.regions[r].packaged_path);
      if (app.has_images())
        out += fmt::format("package_images {} \"${}\" \"${}\" {} {}\n", region.code,
                           region.bucket_env_var, region.image_repository_env_var, output,
                           shell_quote(app.packaged_from()));
      else
        out +=
            fmt::format("package {} \"${}\" {}{}{}\n", region.code, region.bucket_env_var, output,
                        one_app ? "" : " ", one_app ? "" : shell_quote(app.packaged_from()));
    }
  }
  return out;
}

}  // namespace

std::string emit_build_script(const Ir& ir) {
  return script_header(ir,
                       "Builds the app once, then packages it for every target region into "
                       "that region's\n# artifact bucket. The pipeline's CodeBuild project "
                       "runs it from the repository root.") +
         "\ncd \"$(dirname \"${BASH_SOURCE[0]}\")\"\n\n" + bucket_check(ir) + build_steps(ir) +
         sam_build_steps(ir) + package_steps(ir);
}

}  // namespace mrp
