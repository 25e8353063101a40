#include "compiler/emit.h"
#include "compiler/shell_out.h"

#include <fmt/format.h>

namespace mrp {
namespace {

std::string bucket_check(const Ir& ir) {
  std::string vars;
  for (const auto& r : ir.regions) vars += "  " + r.bucket_env_var + "\n";
  return fmt::format(R"sh(bucket_vars=(
{vars})
missing=()
for name in "${{bucket_vars[@]}}"; do
  if [[ -z "${{!name:-}}" ]]; then
    missing+=("$name")
  fi
done
if [[ ${{#missing[@]}} -gt 0 ]]; then
  echo "{script}: not set: ${{missing[*]}}" >&2
  echo "The pipeline's CodeBuild project sets one bucket variable per region; to build by hand, set each to that region's artifact bucket." >&2
  exit 1
fi
)sh",
                     fmt::arg("vars", vars), fmt::arg("script", ir.paths.build_script));
}

std::string build_steps(const Ir& ir) {
  if (ir.build.run.empty()) return "";
  std::string out = "\n# Build steps from the spec, in order.\n";
  for (const auto& cmd : ir.build.run) out += cmd + "\n";
  return out;
}

std::string package_steps(const Ir& ir) {
  std::string out = fmt::format(R"sh(
# One packaged template per region: CloudFormation takes a template's code only
# from a bucket in the stack's own region.
package() {{
  local region=$1 bucket=$2 output=$3
  echo "Packaging the app for $region"
  aws cloudformation package --region "$region" --template-file {template} \
    --s3-bucket "$bucket" --output-template-file "$output"
}}
mkdir -p {dir}
)sh",
                                fmt::arg("template", shell_quote(ir.app.template_path)),
                                fmt::arg("dir", shell_quote(ir.paths.packaged_dir)));
  for (const auto& r : ir.regions) {
    out += fmt::format("package {} \"${}\" {}\n", r.code, r.bucket_env_var,
                       shell_quote(r.packaged_path));
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
         package_steps(ir);
}

}  // namespace mrp
