#pragma once
// Compiling a small spec around an app template held in memory, for the tests
// of what the compiler reads from templates.

#include <map>
#include <string>
#include <string_view>

#include "tests/support.h"

namespace mrp::test {

/// The spec around the template: its regions, the app's lines and a build.
struct Setup {
  std::string regions = "us-east-1 eu-west-1";
  std::string app_lines = "    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND\n";
  std::string build;  ///< a `build { … }` block, or nothing
};

inline Setup with_app_lines(std::string lines) {
  Setup s;
  s.app_lines = std::move(lines);
  return s;
}
inline Setup with_regions(std::string regions) {
  Setup s;
  s.regions = std::move(regions);
  return s;
}
inline Setup with_build(std::string build) {
  Setup s;
  s.build = std::move(build);
  return s;
}

inline std::string spec_for(const Setup& s) {
  return "pipeline shop {\n  source codecommit { repo shop; branch main }\n  regions " + s.regions +
         "\n" + s.build + "  app shop-app {\n    template template.yaml\n" + s.app_lines +
         "  }\n}\n";
}

struct CompiledTemplate {
  CompileResult result;
  std::string spec;
  const App& app() const { return result.ir->apps.at(0); }
  /// The rendered diagnostics of `rule` alone.
  std::string of(std::string_view rule) const {
    Diagnostics only;
    for (const auto& d : result.diags.all()) {
      if (d.rule != rule) continue;
      if (d.severity == Severity::error) only.error(d.pos, d.rule, d.message);
      if (d.severity == Severity::warning) only.warning(d.pos, d.rule, d.message);
      if (d.severity == Severity::note) only.note(d.pos, d.rule, d.message);
    }
    if (const auto* text = result.diags.source_of("template.yaml"))
      only.add_source("template.yaml", *text);
    return render_all(only, spec);
  }
};

/// Compiles the spec of `setup` with `tmpl` as its `template.yaml`, and
/// `more_files` beside it.
inline CompiledTemplate compile_template(const std::string& tmpl, const Setup& setup = {},
                                         const std::map<std::string, std::string>& more = {}) {
  MemoryFileReader files(more);
  files.add("template.yaml", tmpl);
  CompiledTemplate c{{}, spec_for(setup)};
  c.result = compile_text(c.spec, files);
  return c;
}

}  // namespace mrp::test
