#include "compiler/cli/check.h"

#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "compiler/base/diff.h"

namespace mrp {
namespace fs = std::filesystem;

namespace {

Failure unreadable(const fs::path& path, std::error_code ec) {
  return Failure{fmt::format("cannot read {}: {}", path.string(), ec.message())};
}

/// The bytes of `path`, or nothing when there is no such file.
Result<std::optional<std::string>> read_if_present(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) return std::optional<std::string>();
  if (ec) return unreadable(path, ec);
  if (status.type() == fs::file_type::directory)
    return unreadable(path, std::make_error_code(std::errc::is_a_directory));
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable(path, std::error_code(errno ? errno : EIO, std::generic_category()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return unreadable(path, std::make_error_code(std::errc::io_error));
  return std::optional<std::string>(std::move(text).str());
}

}  // namespace

Result<std::vector<FileCheck>> check_outputs(const Outputs& outputs, const fs::path& dir) {
  std::vector<FileCheck> checks;
  for (const auto& [path, generated] : outputs) {
    const auto read = read_if_present(dir / path);
    if (!read.ok()) return Failure{read.error()};
    const std::optional<std::string>& on_disk = read.value();
    FileCheck check{path, FileCheck::State::up_to_date, ""};
    if (!on_disk) {
      check.state = FileCheck::State::missing;
      check.diff = unified_diff("", generated, "/dev/null", "b/" + path);
    } else if (*on_disk != generated) {
      check.state = FileCheck::State::stale;
      check.diff = unified_diff(*on_disk, generated, "a/" + path, "b/" + path);
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

std::string render_check_report(const std::vector<FileCheck>& checks,
                                std::string_view rebuild_command) {
  std::string diffs, summary;
  for (const FileCheck& check : checks) {
    if (check.state == FileCheck::State::up_to_date) continue;
    diffs += check.diff;
    summary += check.state == FileCheck::State::missing
                   ? fmt::format("mrp: {} is missing; run `{}` to generate it\n", check.path,
                                 rebuild_command)
                   : fmt::format(
                         "mrp: {} is stale or was edited by hand; run `{}` to "
                         "regenerate it\n",
                         check.path, rebuild_command);
  }
  return diffs + summary;
}

}  // namespace mrp
