#include "tests/workspace.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
  fs::copy_file(source_dir() / "tests" / "fake-aws" / "sam", root_ / "bin" / "sam");
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
  std::string vars = fmt::format(
      "PATH={}:/usr/bin:/bin HOME={} TMPDIR={} FAKE_AWS_LOG={} FAKE_SAM_LOG={} STUB_LOG={}",
      shell_quote((root_ / "bin").string()), shell_quote(root_.string()),
      shell_quote(tmp().string()), shell_quote(aws_log().string()), shell_quote(sam_log().string()),
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

// Runs each of `calls` through the real AWS CLI (Debian's awscli), pointed at a closed loopback
// port: the CLI parses and validates every argument before it connects, so "Could not connect" (or
// success without a connection) means it accepted the call as written. Bash reads each call as the
// stand-in logged it and hands its words to tests/replay-aws.py, which runs /usr/bin/aws on them
// in a process of its own per call without paying the CLI's start-up each time.
namespace {

// A config file with every profile `calls` name (`--profile NAME`), each with
// example credentials: the real CLI looks a profile up, and its keys, before
// it connects.
fs::path profiles_config(const Workspace& ws, const std::vector<std::string>& calls) {
  std::set<std::string> names;
  for (const auto& call : calls)
    for (auto at = call.find("--profile "); at != std::string::npos;
         at = call.find("--profile ", at + 1)) {
      const auto start = at + std::string_view("--profile ").size();
      names.insert(call.substr(start, call.find(' ', start) - start));
    }
  fs::path config = ws.root() / "aws-config";
  std::ofstream out(config);
  for (const auto& name : names)
    out << "[profile " << name
        << "]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = example\n";
  return config;
}

std::vector<Run> replay_with_real_aws(const Workspace& ws, const std::vector<std::string>& calls) {
  if (calls.empty()) return {};  // bash has no empty { } group
  const fs::path config = profiles_config(ws, calls);
  const fs::path script = ws.root() / "replay.sh";
  {
    std::ofstream out(script);
    out << "set -euo pipefail\ncall() { printf '%s\\0' \"$#\" \"$@\"; }\n{\n";
    for (const auto& call : calls) out << "call --endpoint-url http://127.0.0.1:1 " << call << "\n";
    out << "} | /usr/bin/python3 " << shell_quote((source_dir() / "tests/replay-aws.py").string())
        << "\n";
  }
  const Run all = ws.run("bash " + shell_quote(script.string()), ws.repo(),
                         {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=example",
                          "AWS_CONFIG_FILE=" + config.string(), "AWS_MAX_ATTEMPTS=1",
                          "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER="});
  INFO(all.err);
  REQUIRE(all.status == 0);
  std::vector<Run> runs;
  std::istringstream lines(all.out);
  for (std::string line; std::getline(lines, line);) {
    const auto result = nlohmann::json::parse(line);
    runs.push_back({result.at("status").get<int>(), "", result.at("err").get<std::string>()});
  }
  REQUIRE(runs.size() == calls.size());
  return runs;
}

}  // namespace

void check_real_aws_accepts(const Workspace& ws, const std::vector<std::string>& calls) {
  const std::vector<Run> runs = replay_with_real_aws(ws, calls);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    CAPTURE(calls[i]);
    const Run& r = runs[i];
    INFO("exit " << r.status << ", stderr:\n" << r.err);
    // Accepted: it tried to connect, or needed no connection at all (a
    // template with no local code packages without uploading anything).
    // Rejected arguments exit 252 before any of that.
    const bool connected =
        r.status == 255 && r.err.find("Could not connect to the endpoint URL") != std::string::npos;
    CHECK((connected || r.status == 0));
  }
}

}  // namespace mrp::test
