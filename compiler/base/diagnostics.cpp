#include "compiler/base/diagnostics.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "compiler/base/utf8.h"

namespace mrp {

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) has_errors_ = true;
  if (items_.size() >= max_kept) {
    ++dropped_;
    return;
  }
  items_.push_back(std::move(d));
}

void Diagnostics::error(const SourcePos& pos, std::string_view rule, std::string message) {
  add({pos, Severity::error, rule, std::move(message)});
}

void Diagnostics::warning(const SourcePos& pos, std::string_view rule, std::string message) {
  add({pos, Severity::warning, rule, std::move(message)});
}

void Diagnostics::note(const SourcePos& pos, std::string_view rule, std::string message) {
  add({pos, Severity::note, rule, std::move(message)});
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

std::size_t Diagnostics::count(Severity severity) const {
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [&](const Diagnostic& d) { return d.severity == severity; }));
}

bool Diagnostics::has_errors() const { return has_errors_; }

void Diagnostics::remove_if(const std::function<bool(const Diagnostic&)>& drop) {
  items_.erase(std::remove_if(items_.begin(), items_.end(), drop), items_.end());
  // Those past max_kept were never seen, so they still count as errors.
  has_errors_ = dropped_ > 0 || std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) {
                  return d.severity == Severity::error;
                });
}

void Diagnostics::sort_by_position() {
  // The spec's own diagnostics first, then those in other files (add_source).
  const auto key = [this](const Diagnostic& d) {
    return std::make_tuple(sources_.count(d.pos.file) != 0, std::cref(d.pos.file), d.pos.byte);
  };
  std::stable_sort(items_.begin(), items_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

void Diagnostics::add_source(const std::string& file, std::string text) {
  sources_[file] = std::move(text);
}

const std::string* Diagnostics::source_of(const std::string& file) const {
  const auto it = sources_.find(file);
  return it == sources_.end() ? nullptr : &it->second;
}

namespace {

// The line of `source` that `d` points into, without its line end. A
// position's column says where its line starts, so no backward search is needed.
std::string_view line_at(std::string_view source, const SourcePos& pos) {
  const std::size_t byte = std::min(pos.byte, source.size());
  const std::size_t begin = byte >= pos.column - 1 ? byte - (pos.column - 1) : 0;
  auto end = source.find('\n', byte);
  if (end == std::string_view::npos) end = source.size();
  if (end > begin && source[end - 1] == '\r') --end;
  return source.substr(begin, end - begin);
}

// `line` with every byte that is a control character (but tab) or not part of
// valid UTF-8 replaced by `?`, byte for byte, so columns stay where they were
// and no terminal receives raw binary.
std::string printable(std::string_view line) {
  std::string out(line);
  for (std::size_t i = 0; i < out.size();) {
    const std::size_t len = utf8_sequence_length(out, i);
    if (len == 0 || is_unwanted_control(static_cast<unsigned char>(out[i]))) {
      out[i++] = '?';
      continue;
    }
    i += len;
  }
  return out;
}

// A value a message quotes may hold a line break (a string's `\n`), and so may
// a file name: written as `\n`, it cannot pass for a line of the report.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

}  // namespace

std::size_t display_column(const Diagnostic& d, std::string_view source) {
  const std::string_view line = line_at(source, d.pos);
  const std::size_t prefix_bytes = std::min(d.pos.column - 1, line.size());
  std::size_t column = 1;
  for (std::size_t i = 0; i < prefix_bytes; ++i)
    if (!is_utf8_continuation(line[i])) ++column;
  return column;
}

// Very long lines (a minified or generated file) are shown as a window around
// the column, so that a diagnostic stays readable.
constexpr std::size_t max_shown_bytes = 160;

std::string render(const Diagnostic& d, std::string_view source) {
  std::string_view line = line_at(source, d.pos);
  std::size_t prefix_bytes = std::min(d.pos.column - 1, line.size());
  std::string lead, trail;
  if (line.size() > max_shown_bytes) {
    // At most three steps back or forward find a character boundary in UTF-8.
    std::size_t begin = prefix_bytes > max_shown_bytes / 2 ? prefix_bytes - max_shown_bytes / 2 : 0;
    for (int i = 0; i < 3 && begin > 0 && is_utf8_continuation(line[begin]); ++i) --begin;
    std::size_t end = std::min(line.size(), begin + max_shown_bytes);
    for (int i = 0; i < 3 && end < line.size() && is_utf8_continuation(line[end]); ++i) ++end;
    if (begin > 0) lead = "...";
    if (end < line.size()) trail = "...";
    prefix_bytes -= begin;
    line = line.substr(begin, end - begin);
  }
  const std::string shown = printable(line);
  std::string caret_indent(lead.size(), ' ');
  for (std::size_t i = 0; i < prefix_bytes; ++i) {
    if (is_utf8_continuation(shown[i])) continue;
    caret_indent += shown[i] == '\t' ? '\t' : ' ';
  }
  const char* severity = severity_name(d.severity);
  return fmt::format("{}:{}:{}: {}: {} [{}]\n{}{}{}\n{}^\n", one_line(d.pos.file), d.pos.line,
                     display_column(d, source), severity, one_line(d.message), d.rule, lead, shown,
                     trail, caret_indent);
}

std::string render_all(const Diagnostics& ds, std::string_view source) {
  std::string out;
  for (const auto& d : ds.all()) {
    const std::string* other = ds.source_of(d.pos.file);
    out += render(d, other ? std::string_view(*other) : source);
  }
  if (ds.dropped() > 0 && !ds.all().empty()) {
    out += fmt::format("{}: note: {} more problems are not shown; mrp shows the first {}\n",
                       ds.all().front().pos.file, ds.dropped(), Diagnostics::max_kept);
  }
  return out;
}

}  // namespace mrp
