#include "compiler/diagnostics.h"

#include <algorithm>

#include <fmt/format.h>

namespace mrp {

void Diagnostics::error(const SourcePos& pos, std::string message) {
  items_.push_back({pos, Severity::error, std::move(message)});
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

void Diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.pos.byte < b.pos.byte;
  });
}

namespace {

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The line of `source` that holds byte offset `byte`, without its line end.
std::string_view line_at(std::string_view source, std::size_t byte) {
  byte = std::min(byte, source.size());
  const auto start = source.rfind('\n', byte == 0 ? 0 : byte - 1);
  const std::size_t begin = (byte == 0 || start == std::string_view::npos) ? 0 : start + 1;
  auto end = source.find('\n', begin);
  if (end == std::string_view::npos) end = source.size();
  if (end > begin && source[end - 1] == '\r') --end;
  return source.substr(begin, end - begin);
}

}  // namespace

std::string render(const Diagnostic& d, std::string_view source) {
  const std::string_view line = line_at(source, d.pos.byte);
  const std::size_t prefix_bytes = std::min(d.pos.column - 1, line.size());
  std::string caret_indent;
  std::size_t display_column = 1;
  for (std::size_t i = 0; i < prefix_bytes; ++i) {
    if (is_utf8_continuation(line[i])) continue;
    caret_indent += line[i] == '\t' ? '\t' : ' ';
    ++display_column;
  }
  const char* severity = d.severity == Severity::error ? "error" : "warning";
  return fmt::format("{}:{}:{}: {}: {}\n{}\n{}^\n", d.pos.file, d.pos.line, display_column,
                     severity, d.message, line, caret_indent);
}

std::string render_all(const Diagnostics& ds, std::string_view source) {
  std::string out;
  for (const auto& d : ds.all()) out += render(d, source);
  return out;
}

}  // namespace mrp
