// mrp: compiles a .mrp spec into the deployment files of a multi-region pipeline.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "compiler/driver.h"
#include "compiler/writer.h"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_spec_error = 1;
constexpr int exit_usage_or_io = 2;

bool read_file(const std::string& path, std::string& text) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  text = buf.str();
  return !in.bad();
}

struct BuildOptions {
  std::string spec;
  std::string output_dir;
  bool dump_ir = false;
};

int run_build(const BuildOptions& opt) {
  std::string source;
  if (!read_file(opt.spec, source)) {
    fmt::print(stderr, "mrp: cannot read {}\n", opt.spec);
    return exit_usage_or_io;
  }
  namespace fs = std::filesystem;
  const std::string out_dir = opt.output_dir.empty()
                                  ? fs::path(opt.spec).parent_path().lexically_normal().string()
                                  : opt.output_dir;
  const std::string dir = out_dir.empty() ? "." : out_dir;
  const auto result = mrp::compile(source, opt.spec, mrp::lower_options_for(opt.spec, dir));
  std::fputs(mrp::render_all(result.diags, source).c_str(), stderr);
  if (!result.outputs) return exit_spec_error;
  if (opt.dump_ir) std::fputs(mrp::dump_ir(*result.ir).c_str(), stdout);
  if (auto error = mrp::write_outputs(*result.outputs, dir); !error.empty()) {
    fmt::print(stderr, "mrp: {}; no file was changed\n", error);
    return exit_usage_or_io;
  }
  fmt::print("mrp: wrote {} files under {}\n", result.outputs->size(), dir);
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "mrp: compiles a .mrp spec into the deployment files of a multi-region "
      "AWS CodePipeline"};
  app.set_version_flag("--version", std::string("mrp ") + MRP_VERSION);
  app.require_subcommand(1);

  BuildOptions build;
  auto* cmd = app.add_subcommand("build", "Compile a spec and write every deployment file");
  cmd->add_option("spec", build.spec, "The .mrp spec to compile")->required();
  cmd->add_option("-o,--output", build.output_dir,
                  "Output folder: the repository root as CodeBuild sees it (default: the "
                  "spec's folder)");
  cmd->add_flag("--dump-ir", build.dump_ir, "Print what lowering produced");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage_or_io;
  }
  try {
    return run_build(build);
  } catch (const std::exception& e) {
    fmt::print(stderr, "mrp: internal error: {}\n", e.what());
    return exit_usage_or_io;
  }
}
