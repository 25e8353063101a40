#pragma once
// How compilation reads the files a spec names (its app templates): from the
// disk for the command line, from memory for the tests and the fuzzer, through
// the one interface, so that every caller compiles the same way.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace mrp {

class FileReader {
 public:
  virtual ~FileReader() = default;
  /// The bytes of the regular file at `path`, relative to the spec's folder;
  /// nothing when there is no such file or it cannot be read.
  virtual std::optional<std::string> read(const std::string& path) const = 0;
  /// Whether a file or a folder is at `path`, relative to the spec's folder.
  virtual bool exists(const std::string& path) const = 0;
};

/// Reads files below a folder of the disk (the spec's folder as the user
/// named it).
class DiskFileReader final : public FileReader {
 public:
  explicit DiskFileReader(std::filesystem::path root) : root_(std::move(root)) {}
  std::optional<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;

 private:
  std::filesystem::path root_;
};

/// Files held in memory, by path relative to the spec's folder (`./a.yaml`
/// and `a.yaml` are the same file). A folder exists when a file under it does.
class MemoryFileReader final : public FileReader {
 public:
  MemoryFileReader() = default;
  explicit MemoryFileReader(const std::map<std::string, std::string>& files);
  void add(const std::string& path, std::string text);
  std::optional<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace mrp
