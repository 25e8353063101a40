#include "tests/workspace.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/emit/shell_out.h"
#include "tests/support.h"

namespace mrp::test {
namespace fs = std::filesystem;

Workspace::Workspace() {
  std::string tmpl = (fs::temp_directory_path() / "mrp-behaviour-XXXXXX").string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  root_ = tmpl;
  repo_ = root_ / "repo";
  fs::create_directories(repo_);
  fs::create_directories(root_ / "bin");
  fs::create_directories(root_ / "tmp");
  fs::copy_file(source_dir() / "tests" / "fake-aws" / "aws", root_ / "bin" / "aws");
}

Workspace::Workspace(const std::string& spec_name) : Workspace() {
  fs::copy(source_dir() / "specs" / spec_name, repo_, fs::copy_options::recursive);
}

Workspace::~Workspace() {
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

void Workspace::stub(const std::string& command) {
  const fs::path p = root_ / "bin" / command;
  if (fs::exists(p)) return;
  std::ofstream(p)
      << "#!/usr/bin/env bash\nprintf '%s\\n' \"${0##*/}${*:+ $*}\" >> \"$STUB_LOG\"\n";
  fs::permissions(p, fs::perms::owner_all);
}

Run Workspace::run(const std::string& command, const fs::path& cwd,
                   const std::vector<std::string>& env) const {
  std::string vars =
      fmt::format("PATH={}:/usr/bin:/bin HOME={} TMPDIR={} FAKE_AWS_LOG={} STUB_LOG={}",
                  shell_quote((root_ / "bin").string()), shell_quote(root_.string()),
                  shell_quote(tmp().string()), shell_quote(aws_log().string()),
                  shell_quote(stub_log().string()));
  for (const auto& e : env) vars += " " + shell_quote(e);
  const fs::path out = root_ / "stdout", err = root_ / "stderr";
  const std::string full =
      fmt::format("cd {} 2>/dev/null && env -i {} {} >{} 2>{}", shell_quote(cwd.string()), vars,
                  command, shell_quote(out.string()), shell_quote(err.string()));
  Run r;
  const int raw = std::system(full.c_str());
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

std::vector<std::string> Workspace::take_log(const fs::path& log) const {
  std::vector<std::string> lines;
  std::istringstream in(fs::exists(log) ? read_text(log) : "");
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  fs::remove(log);
  return lines;
}

std::string mrp_command(const std::string& args) {
  return fmt::format("{} {}", shell_quote(MRP_BINARY), args);
}

}  // namespace mrp::test
