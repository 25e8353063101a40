// build-toolchain: `sam build` runs each function's builder in the CodeBuild
// image itself, and AWS's curated images lack some builders' tools
// (compiler/aws/codebuild_images.h). A build step that installs the tool, or
// for esbuild the function's own package.json, answers the warning.

#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/codebuild_images.h"
#include "compiler/base/rules.h"
#include "compiler/lower/template_checks.h"

namespace mrp {
namespace {

bool a_step_mentions(const Build& build, std::string_view word) {
  for (const auto* steps : {&build.install, &build.run})
    for (const auto& step : *steps)
      if (step.find(word) != std::string::npos) return true;
  return false;
}

// Whether `dir`/package.json lists `name` under `dependencies`: `sam build`
// installs a function's packages without its devDependencies (npm install
// --omit=dev), and finds esbuild among what it installed.
bool depends_on(const FileReader& files, const std::string& dir, const std::string& name) {
  const auto text =
      files.read((std::filesystem::path(dir) / "package.json").lexically_normal().generic_string());
  if (!text) return false;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object()) return false;
  const auto deps = json.find("dependencies");
  return deps != json.end() && deps->is_object() && deps->contains(name);
}

// What `use` needs that neither the image nor the build steps give, or "".
std::string missing_tools(const BuildMethodUse& use, const std::string& template_dir,
                          const Build& build, const FileReader& files) {
  if (use.method == "esbuild") {
    if (a_step_mentions(build, "esbuild")) return "";
    if (!use.code_uri.empty() &&
        depends_on(files, (std::filesystem::path(template_dir) / use.code_uri).generic_string(),
                   "esbuild"))
      return "";
    return "esbuild, which no CodeBuild image has: list it in the `dependencies` (not "
           "devDependencies, which sam build does not install) of the function's package.json, "
           "or add `install \"npm install -g esbuild\"` to the build";
  }
  if (use.method == "rust-cargolambda") {
    const bool cargo = curated_image_has_cargo(build.image) || a_step_mentions(build, "rustup") ||
                       a_step_mentions(build, "cargo");
    const bool lambda =
        a_step_mentions(build, "cargo-lambda") || a_step_mentions(build, "cargo lambda");
    if (cargo && lambda) return "";
    return fmt::format("{}, which `{}` lacks: install {} in the build's `install` steps",
                       cargo ? "cargo-lambda" : "cargo and cargo-lambda", build.image,
                       cargo ? "it" : "them (rustup for cargo)");
  }
  if (use.method == "python-uv") {
    if (a_step_mentions(build, "uv")) return "";
    return fmt::format("uv, which `{}` lacks: install it in the build's `install` steps",
                       build.image);
  }
  return "";
}

// The CodeBuild runtime and version a Lambda runtime builds with (the
// curated images' runtimes.yml names: nodejs 22, python 3.12, ruby 3.3, java
// corretto21, dotnet 8.0); none for a custom runtime (provided.*).
std::optional<std::pair<std::string, std::string>> codebuild_runtime(std::string_view lambda) {
  const auto after = [&](std::string_view prefix) {
    return std::string(lambda.substr(prefix.size()));
  };
  if (lambda.rfind("nodejs", 0) == 0 && lambda.size() > 8 &&
      lambda.substr(lambda.size() - 2) == ".x")
    return std::pair{std::string("nodejs"), std::string(lambda.substr(6, lambda.size() - 8))};
  if (lambda.rfind("python", 0) == 0) return std::pair{std::string("python"), after("python")};
  if (lambda.rfind("ruby", 0) == 0) return std::pair{std::string("ruby"), after("ruby")};
  if (lambda.rfind("java", 0) == 0) {
    std::string version = after("java");
    version = version.substr(0, version.find('.'));  // java8.al2 -> 8
    return std::pair{std::string("java"), "corretto" + version};
  }
  if (lambda.rfind("dotnet", 0) == 0 && lambda.find('.') == std::string_view::npos)
    return std::pair{std::string("dotnet"), after("dotnet") + ".0"};
  return std::nullopt;
}

}  // namespace

void select_runtime_versions(Ir& ir, Diagnostics& diags) {
  ir.build.runtime_versions.clear();
  if (!is_curated_codebuild_image(ir.build.image)) return;
  std::map<std::string, std::string> chosen;
  for (const auto& app : ir.apps) {
    if (app.build_with != BuildWith::sam) continue;
    for (const auto& use : app.runtimes) {
      const auto runtime = codebuild_runtime(use.name);
      if (!runtime) continue;
      const auto [it, added] = chosen.emplace(runtime->first, runtime->second);
      if (added) {
        ir.build.runtime_versions.push_back(*runtime);
      } else if (it->second != runtime->second) {
        diags.warning(
            use.pos, rule::build_toolchain,
            fmt::format("`{}` needs {} {} for `sam build`, but the build selects {} {} "
                        "for another function, and a CodeBuild build runs one version "
                        "of each language: build these functions with one version",
                        use.name, runtime->first, runtime->second, it->first, it->second));
      }
    }
  }
}

void check_build_toolchain(const App& app, const Build& build, const FileReader& files,
                           Diagnostics& diags) {
  if (app.build_with != BuildWith::sam || !is_curated_codebuild_image(build.image)) return;
  const std::string dir =
      std::filesystem::path(app.template_in_spec).parent_path().generic_string();
  std::set<std::string> said;
  for (const auto& use : app.build_methods) {
    const std::string missing = missing_tools(use, dir, build, files);
    // One warning a builder, unless functions differ in what they miss.
    if (missing.empty() || !said.insert(use.method + "\n" + missing).second) continue;
    diags.warning(
        use.pos, rule::build_toolchain,
        fmt::format("`{}` builds with `{}`, which needs {}", use.resource, use.method, missing));
  }
}

}  // namespace mrp
