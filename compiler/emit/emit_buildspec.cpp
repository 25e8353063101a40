#include "compiler/emit/emit.h"
#include "compiler/emit/shell_out.h"
#include "compiler/emit/yaml_out.h"

namespace mrp {

std::string emit_buildspec(const Ir& ir) {
  YamlWriter y;
  y.map();
  y.key("version").raw_number("0.2");
  y.key("phases").map();
  if (!ir.build.install.empty() || !ir.build.runtime_versions.empty()) {
    y.key("install").map();
    // What `sam build` needs to build the functions on their own runtimes.
    if (!ir.build.runtime_versions.empty()) {
      y.key("runtime-versions").map();
      for (const auto& [language, version] : ir.build.runtime_versions) {
        y.key(language);
        // A version that reads as a number stays a string: 3.10 is not 3.1.
        y.str(version);
      }
      y.end_map();
    }
    if (!ir.build.install.empty()) {
      y.key("commands").seq();
      for (const auto& cmd : ir.build.install) y.str(cmd);
      y.end_seq();
    }
    y.end_map();
  }
  y.key("build").map().key("commands").seq();
  y.str("bash " + shell_quote(ir.paths.build_script)).end_seq().end_map();
  y.end_map();
  // `discard-paths` puts the templates at the root of the build output artifact,
  // where the deploy actions' TemplatePath expects them.
  y.key("artifacts").map().kv("discard-paths", "yes").key("files").seq();
  for (std::size_t r = 0; r < ir.regions.size(); ++r)
    for (const auto& app : ir.apps) y.str(app.regions[r].packaged_path);
  y.end_seq().end_map();
  y.end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
