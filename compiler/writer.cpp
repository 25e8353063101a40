#include "compiler/writer.h"

#include <fstream>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

namespace mrp {
namespace fs = std::filesystem;

namespace {

struct Pending {
  fs::path temp;
  fs::path target;
};

std::string write_temp(const fs::path& target, const std::string& text, Pending& pending) {
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message());
  pending.target = target;
  pending.temp = target.parent_path() / fmt::format(".{}.mrp-{}.tmp", target.filename().string(),
                                                    static_cast<long>(::getpid()));
  {
    std::ofstream out(pending.temp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) return fmt::format("cannot write {}", pending.temp.string());
  }
  if (target.extension() == ".sh") {
    fs::permissions(pending.temp,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    ec);
    if (ec) return fmt::format("cannot make {} executable: {}", target.string(), ec.message());
  }
  return "";
}

}  // namespace

std::string write_outputs(const Outputs& outputs, const fs::path& dir) {
  std::vector<Pending> pending;
  std::string error;
  for (const auto& [path, text] : outputs) {
    Pending p;
    error = write_temp(dir / path, text, p);
    if (!p.temp.empty()) pending.push_back(p);
    if (!error.empty()) break;
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
  }
  return error;
}

}  // namespace mrp
