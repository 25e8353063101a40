#include "compiler/cli/writer.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace mrp {
namespace fs = std::filesystem;

namespace {

struct Pending {
  fs::path temp;
  fs::path target;
};

std::string temp_prefix(const fs::path& target) {
  return fmt::format(".{}.mrp-", target.filename().string());
}

// The temporary files of writers (`.NAME.mrp-PID.tmp`) each output folder held
// when it was first looked at: one listing serves every file written there,
// where listing the folder again for each file cost more than writing them.
using TempListing = std::map<fs::path, std::vector<fs::path>>;

// A run killed between writing its temporary files and renaming them leaves
// them behind, named after its process. Those of processes that are gone are
// removed; a live process may still be writing its own.
void remove_stale_temps(const fs::path& target, TempListing& listed) {
  const auto [at, fresh] = listed.try_emplace(target.parent_path());
  if (fresh) {
    std::error_code ec;
    for (fs::directory_iterator it(target.parent_path(), ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.find(".mrp-") != std::string::npos && it->path().extension() == ".tmp")
        at->second.push_back(it->path());
    }
  }
  const std::string prefix = temp_prefix(target);
  for (const fs::path& path : at->second) {
    const std::string name = path.filename().string();
    if (name.size() <= prefix.size() + 4 || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - 4, 4, ".tmp") != 0)
      continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 4);
    char* rest = nullptr;
    const long pid = std::strtol(digits.c_str(), &rest, 10);
    if (pid <= 0 || *rest != '\0') continue;
    std::error_code ignored;
    if (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH) fs::remove(path, ignored);
  }
}

fs::path temp_path(const fs::path& target) {
  return target.parent_path() /
         fmt::format("{}{}.tmp", temp_prefix(target), static_cast<long>(::getpid()));
}

// Writes `text` to a new file at `temp` with the system calls themselves, so
// that an error names its cause (a read-only folder, a full disk); 0, or the
// errno of the failure.
int write_file(const fs::path& temp, std::string_view text) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  for (std::string_view rest = text; !rest.empty();) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return error;
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return ::close(fd) != 0 ? errno : 0;
}

Failure cannot_write(const fs::path& target, int error) {
  return Failure{
      fmt::format("cannot write {}: {}", target.string(), std::generic_category().message(error))};
}

Result<void> create_folder_of(const fs::path& target) {
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    return Failure{
        fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message())};
  return {};
}

Result<void> write_temp(const fs::path& target, const std::string& text, Pending& pending,
                        TempListing& listed) {
  if (auto created = create_folder_of(target); !created.ok()) return created;
  // A folder where the file goes would stop the renames halfway, after some
  // files were replaced; found before any is, it changes nothing.
  std::error_code ec;
  if (fs::is_directory(target, ec))
    return Failure{fmt::format("cannot replace {}: it is a folder", target.string())};
  remove_stale_temps(target, listed);
  pending.target = target;
  const fs::path temp = temp_path(target);
  if (const int error = write_file(temp, text); error != 0) {
    fs::remove(temp, ec);
    return cannot_write(target, error);
  }
  pending.temp = temp;
  if (target.extension() == ".sh") {
    fs::permissions(pending.temp,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    ec);
    if (ec)
      return Failure{fmt::format("cannot make {} executable: {}", target.string(), ec.message())};
  }
  return {};
}

}  // namespace

Result<void> write_outputs(const Outputs& outputs, const fs::path& dir) {
  std::vector<Pending> pending;
  std::string error;
  TempListing listed;
  for (const auto& [path, text] : outputs) {
    Pending p;
    const Result<void> written = write_temp(dir / path, text, p, listed);
    if (!p.temp.empty()) pending.push_back(p);
    if (!written.ok()) {
      error = written.error();
      break;
    }
  }
  for (const auto& p : pending) {
    if (!error.empty()) {
      std::error_code ignored;
      fs::remove(p.temp, ignored);
      continue;
    }
    std::error_code ec;
    fs::rename(p.temp, p.target, ec);
    if (ec) error = fmt::format("cannot replace {}: {}", p.target.string(), ec.message());
  }
  if (!error.empty()) {
    for (const auto& p : pending) {
      std::error_code ignored;
      fs::remove(p.temp, ignored);
    }
    return Failure{error};
  }
  return {};
}

bool path_taken(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

Result<bool> write_new_file(const fs::path& path, std::string_view text) {
  // Relative to the current folder when `path` names no folder, so that the
  // temporary file and the stale ones looked for are beside it.
  const fs::path target = path.has_parent_path() ? path : fs::path(".") / path;
  if (const auto created = create_folder_of(target); !created.ok()) return Failure{created.error()};
  TempListing listed;
  remove_stale_temps(target, listed);
  const fs::path temp = temp_path(target);
  std::error_code ignored;
  if (const int error = write_file(temp, text); error != 0) {
    fs::remove(temp, ignored);
    return cannot_write(path, error);
  }
  // link(), unlike rename(), fails when the name is taken, whoever took it
  // and whenever: a spec is never replaced, with no window between a check
  // and the write.
  const int linked = ::link(temp.c_str(), target.c_str()) == 0 ? 0 : errno;
  fs::remove(temp, ignored);
  if (linked == EEXIST) return false;
  if (linked != 0) return cannot_write(path, linked);
  return true;
}

}  // namespace mrp
