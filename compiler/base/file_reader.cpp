#include "compiler/base/file_reader.h"

#include <fstream>
#include <sstream>

namespace mrp {
namespace {

std::string normal(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().generic_string();
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

}  // namespace mrp
