#pragma once
// A scratch repository for tests that run `mrp` and the generated scripts as a
// user would: a copy of one spec's folder, with a bin/ of recording stand-ins
// (tests/fake-aws/aws and sam, and any command a test stubs).

#include <filesystem>
#include <string>
#include <vector>

namespace mrp::test {

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

class Workspace {
 public:
  /// Copies specs/<spec_name>/ into a fresh temporary folder.
  explicit Workspace(const std::string& spec_name);
  /// An empty repository in a fresh temporary folder.
  Workspace();
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::filesystem::path& repo() const { return repo_; }
  /// Where the fake `aws` keeps each `--parameters file://` it was given, as
  /// parameters-N.json.
  const std::filesystem::path& root() const { return root_; }
  /// The scripts' TMPDIR, empty until a script leaves something behind.
  std::filesystem::path tmp() const { return root_ / "tmp"; }
  std::filesystem::path aws_log() const { return root_ / "aws.log"; }
  std::filesystem::path stub_log() const { return root_ / "stub.log"; }
  std::filesystem::path sam_log() const { return root_ / "sam.log"; }

  /// Puts a recording stand-in for `command` on the scripts' PATH.
  void stub(const std::string& command);

  /// Runs `command` in `cwd` with a clean environment plus `env`.
  Run run(const std::string& command, const std::filesystem::path& cwd,
          const std::vector<std::string>& env = {}) const;

  /// The calls recorded so far (one per line), and forgets them.
  std::vector<std::string> aws_calls() const { return take_log(aws_log()); }
  std::vector<std::string> stub_calls() const { return take_log(stub_log()); }
  std::vector<std::string> sam_calls() const { return take_log(sam_log()); }

 private:
  std::vector<std::string> take_log(const std::filesystem::path& log) const;
  std::filesystem::path root_, repo_;
};

/// Runs each of `calls` (as the fake `aws` logged them) through the real AWS
/// CLI and checks that it accepts every one: it parses and validates the
/// arguments, then fails to connect.
void check_real_aws_accepts(const Workspace& ws, const std::vector<std::string>& calls);

/// The built `mrp` with `args`, as a shell command.
std::string mrp_command(const std::string& args);

}  // namespace mrp::test
