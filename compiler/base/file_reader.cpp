#include "compiler/base/file_reader.h"

#include <fstream>
#include <sstream>

namespace mrp {
namespace {

// `a/./b/` and `a/b` are the same path.
std::string normal(const std::string& path) {
  std::string n = std::filesystem::path(path).lexically_normal().generic_string();
  while (n.size() > 1 && n.back() == '/') n.pop_back();
  return n;
}

}  // namespace

std::optional<std::string> DiskFileReader::read(const std::string& path) const {
  const std::filesystem::path full = root_ / path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
  std::ifstream in(full, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

bool DiskFileReader::exists(const std::string& path) const {
  std::error_code ec;
  return std::filesystem::exists(root_ / path, ec);
}

MemoryFileReader::MemoryFileReader(const std::map<std::string, std::string>& files) {
  for (const auto& [path, text] : files) add(path, text);
}

void MemoryFileReader::add(const std::string& path, std::string text) {
  files_[normal(path)] = std::move(text);
}

std::optional<std::string> MemoryFileReader::read(const std::string& path) const {
  const auto it = files_.find(normal(path));
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

bool MemoryFileReader::exists(const std::string& path) const {
  const std::string p = normal(path);
  if (p.empty() || p == ".") return !files_.empty();
  if (files_.count(p) != 0) return true;
  // The files under the folder `p` sort together, right after `p/`.
  const std::string folder = p + "/";
  const auto it = files_.lower_bound(folder);
  return it != files_.end() && it->first.compare(0, folder.size(), folder) == 0;
}

}  // namespace mrp
