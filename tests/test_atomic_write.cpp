// Writing is all or nothing, file by file: `mrp build` killed at any moment
// leaves every output either as it was or as the new build makes it, and the
// next run clears any temporary file the killed one left; a build that cannot
// write (a folder where a file goes, a read-only folder, a full disk) fails,
// says why, and changes nothing.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/cli/driver.h"
#include "compiler/cli/writer.h"
#include "compiler/emit/shell_out.h"
#include "tests/spec_gen.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::shell_quote;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

using Files = std::map<std::string, std::string>;

const std::string template_yaml = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

// A spec deploying to the first `regions` of a list, `apps` apps each.
std::string spec(std::size_t regions, std::size_t apps = 1) {
  static const std::vector<std::string> codes = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",   "eu-north-1",
      "ap-south-1",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
      "ap-southeast-2", "sa-east-1"};
  std::string list;
  for (std::size_t i = 0; i < regions; ++i) list += " " + codes[i];
  std::string text =
      "pipeline shop {\n  source codecommit { repo shop; branch main }\n  regions" + list + "\n";
  for (std::size_t i = 0; i < apps; ++i)
    text += fmt::format("  app shop-app{} {{ template template.yaml }}\n", i);
  return text + "}\n";
}

// The generated files under `dir`: every regular file but the spec and template.
Files outputs_in(const fs::path& dir) {
  Files out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name == "template.yaml" || e.path().extension() == ".mrp" || e.path().extension() == ".tmp")
      continue;
    out[e.path().lexically_relative(dir).generic_string()] = read_text(e.path());
  }
  return out;
}

// Temporary files of the writer (`.NAME.mrp-PID.tmp`) under `dir`, one a line.
std::string temp_files(const fs::path& dir) {
  std::string out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".mrp-") != std::string::npos && e.path().extension() == ".tmp")
      out += e.path().lexically_relative(dir).generic_string() + "\n";
  }
  return out;
}

void restore(const fs::path& dir, const Files& files) {
  for (const auto& [path, text] : files) std::ofstream(dir / path, std::ios::binary) << text;
}

// Starts `mrp build SPEC` in `cwd`, its output thrown away.
pid_t spawn_build(const fs::path& cwd, const std::string& spec_file) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    const char* argv[] = {MRP_BINARY, "build", spec_file.c_str(), nullptr};
    ::execv(MRP_BINARY, const_cast<char* const*>(argv));
    ::_exit(127);
  }
  return pid;
}

// Waits until something writes a file in a watched folder (a temporary file
// created, an output opened for writing or renamed into place), or `ms`
// pass; true when something did.
bool wait_for_writing(int inotify, int ms) {
  pollfd p{inotify, POLLIN, 0};
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    if (::poll(&p, 1, 10) > 0) return true;
  }
  return false;
}

// A tmpfs mounted for a test and unmounted at its end, where the test may
// mount one (root, or a mount namespace of its own).
class Tmpfs {
 public:
  Tmpfs(const fs::path& at, const std::string& options) : at_(at) {
    fs::create_directories(at);
    if (::mount("tmpfs", at.c_str(), "tmpfs", 0, options.c_str()) == 0)
      mounted_ = true;
    else
      why_not_ = std::strerror(errno);
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }
  bool make_read_only() {
    // A remount ignores the source and type; they are named anyway, since
    // memcheck reports a null type as a bad syscall argument.
    return ::mount("tmpfs", at_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }
  /// Bytes the file system can still give out.
  std::size_t free_bytes() const {
    struct statvfs s {};
    REQUIRE(::statvfs(at_.c_str(), &s) == 0);
    return static_cast<std::size_t>(s.f_bavail) * s.f_bsize;
  }
  std::size_t block_size() const {
    struct statvfs s {};
    REQUIRE(::statvfs(at_.c_str(), &s) == 0);
    return s.f_bsize;
  }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string why_not_;
};

void drain(int inotify) {
  char buf[4096];
  while (::read(inotify, buf, sizeof buf) > 0) {
  }
}

}  // namespace

TEST_SUITE("atomic-write") {
  TEST_CASE("mrp build killed at any moment leaves each file whole; the next run clears up") {
    Workspace ws;
    std::ofstream(ws.repo() / "template.yaml") << template_yaml;
    // Two specs whose files all differ: the new one has more regions and apps.
    std::ofstream(ws.repo() / "old.mrp") << spec(2);
    std::ofstream(ws.repo() / "new.mrp") << spec(5, 2);
    REQUIRE(ws.run(mrp_command("build new.mrp"), ws.repo()).status == 0);
    const Files after = outputs_in(ws.repo());
    REQUIRE(ws.run(mrp_command("build old.mrp"), ws.repo()).status == 0);
    const Files before = outputs_in(ws.repo());
    REQUIRE(before.size() == after.size());
    for (const auto& [path, text] : before) REQUIRE(after.at(path) != text);

    const auto start = std::chrono::steady_clock::now();
    REQUIRE(ws.run(mrp_command("build new.mrp"), ws.repo()).status == 0);
    const auto full_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    const int inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    REQUIRE(inotify >= 0);
    for (const fs::path& dir : {ws.repo(), ws.repo() / "deployment-pipeline"})
      REQUIRE(::inotify_add_watch(inotify, dir.c_str(), IN_CREATE | IN_MODIFY | IN_MOVED_TO) >= 0);

    // Half the kills come at any moment of the run, half while it writes: up
    // to 3 ms after it first writes a file (mrp only reads before that).
    constexpr int runs = 60;
    mrp::test::Rng rng(20261126);
    int untouched = 0, replaced = 0, mixed = 0, left_temps = 0;
    for (int i = 0; i < runs; ++i) {
      CAPTURE(i);
      restore(ws.repo(), before);
      drain(inotify);
      const pid_t pid = spawn_build(ws.repo(), "new.mrp");
      if (i % 2 == 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng.below(full_us + 1)));
      } else if (wait_for_writing(inotify, 5000)) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng.below(3000)));
      }
      ::kill(pid, SIGKILL);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);

      std::size_t old_files = 0, new_files = 0;
      for (const auto& [path, text] : outputs_in(ws.repo())) {
        CAPTURE(path);
        REQUIRE(before.count(path) == 1);
        CHECK((text == before.at(path) || text == after.at(path)));
        old_files += text == before.at(path) ? 1 : 0;
        new_files += text == after.at(path) ? 1 : 0;
      }
      untouched += old_files == before.size() ? 1 : 0;
      replaced += new_files == before.size() ? 1 : 0;
      mixed += old_files > 0 && new_files > 0 ? 1 : 0;
      if (temp_files(ws.repo()).empty()) continue;
      ++left_temps;
      // The next run writes over what the killed one left, and clears it.
      const Run next = ws.run(mrp_command("build new.mrp"), ws.repo());
      CHECK(next.status == 0);
      CHECK(temp_files(ws.repo()) == "");
      CHECK(outputs_in(ws.repo()) == after);
      for (const auto& e : fs::recursive_directory_iterator(ws.repo()))
        if (e.path().extension() == ".tmp") fs::remove(e.path());
    }
    ::close(inotify);
    MESSAGE(
        fmt::format("{} kills of a {} ms build: {} before it wrote, {} after, {} while it "
                    "wrote (old and new files); {} left temporary files",
                    runs, full_us / 1000, untouched, replaced, mixed, left_temps));
    // Without kills inside the write, this test would prove nothing.
    CHECK(mixed + left_temps > 0);
  }

  TEST_CASE("a folder where an output goes: mrp build fails, says so, and changes nothing") {
    Workspace ws;
    std::ofstream(ws.repo() / "template.yaml") << template_yaml;
    std::ofstream(ws.repo() / "old.mrp") << spec(2);
    std::ofstream(ws.repo() / "new.mrp") << spec(3);
    REQUIRE(ws.run(mrp_command("build old.mrp"), ws.repo()).status == 0);
    // The last file the writer renames in the folder is a folder now.
    fs::remove(ws.repo() / "deployment-pipeline/update-pipeline.sh");
    fs::create_directory(ws.repo() / "deployment-pipeline/update-pipeline.sh");
    const Files before = outputs_in(ws.repo());
    const Run r = ws.run(mrp_command("build new.mrp"), ws.repo());
    CHECK(r.status == 2);
    CHECK(r.err ==
          "mrp: error: cannot replace ./deployment-pipeline/update-pipeline.sh: it is a folder; no "
          "file "
          "was changed\n");
    CHECK(outputs_in(ws.repo()) == before);
    CHECK(temp_files(ws.repo()) == "");
  }
}

TEST_SUITE("write-failures") {
  TEST_CASE("a read-only output folder: mrp build fails, says why, and changes nothing") {
    Workspace ws;
    std::ofstream(ws.repo() / "template.yaml") << template_yaml;
    std::ofstream(ws.repo() / "old.mrp") << spec(2);
    std::ofstream(ws.repo() / "new.mrp") << spec(3);
    Tmpfs out(ws.repo() / "out", "size=1m");
    // Without a mount of its own, only a user other than root sees
    // permissions refuse a write.
    if (!out.mounted() && ::geteuid() == 0) {
      MESSAGE("SKIPPED: cannot mount a read-only tmpfs as root here (" << out.why_not()
                                                                       << "): not tested");
      return;
    }
    REQUIRE(ws.run(mrp_command("build old.mrp -o out"), ws.repo()).status == 0);
    const Files before = outputs_in(ws.repo() / "out");
    std::string reason = "Read-only file system";
    if (out.mounted()) {
      REQUIRE(out.make_read_only());
    } else {
      for (const char* dir : {"out", "out/deployment-pipeline"})
        fs::permissions(ws.repo() / dir,
                        fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                        fs::perm_options::remove);
      reason = "Permission denied";
    }
    const Run r = ws.run(mrp_command("build new.mrp -o out"), ws.repo());
    CHECK(r.status == 2);
    CHECK(r.err == "mrp: error: cannot write out/deployment-pipeline/artifact-buckets.yaml: " +
                       reason + "; no file was changed\n");
    CHECK(outputs_in(ws.repo() / "out") == before);
    CHECK(temp_files(ws.repo() / "out") == "");
  }

  TEST_CASE("a full disk: mrp build fails, says why, and changes nothing") {
    Workspace ws;
    std::ofstream(ws.repo() / "template.yaml") << template_yaml;
    std::ofstream(ws.repo() / "old.mrp") << spec(2);
    std::ofstream(ws.repo() / "new.mrp") << spec(12, 2);
    Tmpfs disk(ws.repo() / "disk", "size=128k");
    if (!disk.mounted()) {
      MESSAGE("SKIPPED: cannot mount a 128 KiB tmpfs here (" << disk.why_not()
                                                             << "): a full disk is not tested");
      return;
    }
    REQUIRE(ws.run(mrp_command("build old.mrp -o disk"), ws.repo()).status == 0);
    const Files before = outputs_in(ws.repo() / "disk");
    // Room for the new build's files before its pipeline template (in the
    // order it writes them), not for the template: a filler takes the rest.
    mrp::LowerOptions options;
    options.record_path = "disk/deployment-pipeline/deployed.json";
    const auto compiled = mrp::compile(read_text(ws.repo() / "new.mrp"), "new.mrp",
                                       mrp::DiskFileReader(ws.repo()), options);
    REQUIRE(compiled.outputs);
    std::size_t room = 0;
    auto it = compiled.outputs->begin();
    for (; it != compiled.outputs->end() && it->first != "deployment-pipeline/pipeline.yaml"; ++it)
      room += (it->second.size() + disk.block_size() - 1) / disk.block_size() * disk.block_size();
    REQUIRE(it != compiled.outputs->end());
    REQUIRE(it->first == "deployment-pipeline/pipeline.yaml");
    REQUIRE(it->second.size() > disk.block_size());
    REQUIRE(disk.free_bytes() > room);
    std::ofstream(ws.repo() / "disk" / "filler", std::ios::binary)
        << std::string(disk.free_bytes() - room, 'x');
    REQUIRE(disk.free_bytes() == room);

    const Run r = ws.run(mrp_command("build new.mrp -o disk"), ws.repo());
    CHECK(r.status == 2);
    CHECK(r.err ==
          "mrp: error: cannot write disk/deployment-pipeline/pipeline.yaml: No space left on "
          "device; no "
          "file was changed\n");
    fs::remove(ws.repo() / "disk" / "filler");
    CHECK(outputs_in(ws.repo() / "disk") == before);
    CHECK(temp_files(ws.repo() / "disk") == "");
  }
}

// The specs of mrp init and mrp import: written only where nothing is, so
// that even a spec another process creates meanwhile is kept.
TEST_CASE("write_new_file: never over a file, a folder or a dangling link; no temporary left") {
  Workspace ws;
  const fs::path spec = ws.repo() / "pipeline.mrp";
  std::ofstream(spec, std::ios::binary) << "# mine\n";
  const auto over_file = mrp::write_new_file(spec, "pipeline new {}\n");
  REQUIRE(over_file.ok());
  CHECK_FALSE(over_file.value());
  CHECK(read_text(spec) == "# mine\n");

  fs::create_symlink("nowhere.mrp", ws.repo() / "link.mrp");
  const auto over_link = mrp::write_new_file(ws.repo() / "link.mrp", "pipeline new {}\n");
  REQUIRE(over_link.ok());
  CHECK_FALSE(over_link.value());
  CHECK_FALSE(fs::exists(ws.repo() / "nowhere.mrp"));
  CHECK(temp_files(ws.repo()) == "");
}

TEST_CASE("write_new_file: a new file holds the text exactly, in a folder made for it") {
  Workspace ws;
  const fs::path spec = ws.repo() / "specs/shop.mrp";
  const std::string text = "pipeline shop {\n  regions us-east-1\n}\r\nno newline";
  const auto written = mrp::write_new_file(spec, text);
  REQUIRE(written.ok());
  CHECK(written.value());
  CHECK(read_text(spec) == text);
  CHECK(temp_files(ws.repo()) == "");
}
