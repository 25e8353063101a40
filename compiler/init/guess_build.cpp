// The `build` block of a first spec, from the build manifests at the top of
// the repository. Each step says which file it came from; the image stays
// CodeBuild's default unless a step needs what it lacks.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/init/init_spec.h"

namespace mrp {
namespace {

SpecNode step(const std::string& directive, std::string command, std::string comment) {
  SpecNode node = spec_line(directive, {std::move(command)});
  node.trailing = std::move(comment);
  return node;
}

// npm writes this `test` script into every new package.json.
bool real_test_script(const nlohmann::json& script) {
  return script.is_string() &&
         script.get<std::string>().find("no test specified") == std::string::npos;
}

void npm_steps(const std::map<std::string, std::string>& manifests, std::vector<SpecNode>& out) {
  const auto package = manifests.find("package.json");
  if (package == manifests.end()) return;
  const bool lock = manifests.count("package-lock.json") != 0;
  out.push_back(
      step("run", lock ? "npm ci" : "npm install",
           lock ? "guessed from package.json and package-lock.json" : "guessed from package.json"));
  const auto json = nlohmann::json::parse(package->second, nullptr, false);
  const auto scripts = json.is_object() ? json.find("scripts") : json.end();
  if (scripts == json.end() || !scripts->is_object()) return;
  if (scripts->contains("build"))
    out.push_back(step("run", "npm run build", "guessed from package.json's build script"));
  if (scripts->contains("test") && real_test_script((*scripts)["test"]))
    out.push_back(step("run", "npm test", "guessed from package.json's test script"));
}

std::vector<SpecNode> manifest_steps(const std::map<std::string, std::string>& manifests) {
  std::vector<SpecNode> out;
  npm_steps(manifests, out);
  const auto has = [&](const char* name) { return manifests.count(name) != 0; };
  if (has("requirements.txt"))
    out.push_back(step("run", "pip install -r requirements.txt", "guessed from requirements.txt"));
  if (has("go.mod")) {
    out.push_back(step("run", "go build ./...", "guessed from go.mod"));
    out.push_back(step("run", "go test ./...", "guessed from go.mod"));
  }
  if (has("Cargo.toml")) {
    SpecNode rustup = step(
        "install", "curl --proto =https --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y", "");
    rustup.comments = {
        "Guessed from Cargo.toml: the x86_64 CodeBuild images have no Rust, so rustup "
        "installs it."};
    out.push_back(std::move(rustup));
    out.push_back(
        step("run", ". \"$HOME/.cargo/env\" && cargo build --release", "guessed from Cargo.toml"));
  }
  if (has("Makefile")) out.push_back(step("run", "make", "guessed from Makefile"));
  return out;
}

}  // namespace

std::vector<SpecNode> guess_build(const std::map<std::string, std::string>& manifests,
                                  const std::vector<std::string>& sam_methods, bool all_sam) {
  std::vector<SpecNode> steps;
  bool esbuild = false;
  for (const auto& m : sam_methods) esbuild = esbuild || m == "esbuild";
  if (esbuild)
    steps.push_back(step("install", "npm install -g esbuild",
                         "sam build's esbuild builder needs it; CodeBuild images lack it"));
  if (!all_sam) {
    auto more = manifest_steps(manifests);
    steps.insert(steps.end(), more.begin(), more.end());
  }
  if (steps.empty()) return {};
  SpecNode build = spec_block("build", {}, std::move(steps));
  build.comments = {
      "On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python, "
      "Go, Java, make, the SAM CLI)."};
  if (all_sam)
    build.comments.push_back(
        "sam build runs each function's builder, so no step builds the app; add `run` steps for "
        "anything else, such as tests.");
  build.blank_line_before = true;
  return {std::move(build)};
}

}  // namespace mrp
