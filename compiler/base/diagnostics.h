#pragma once
// Diagnostics: `file:line:col: error: message [rule-id]`, then the source line
// and a caret.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source_pos.h"

namespace mrp {

/// A note says what mrp decided on its own; it never fails a command.
enum class Severity { error, warning, note };

/// "error", "warning" or "note", as reports write it.
const char* severity_name(Severity s);

struct Diagnostic {
  SourcePos pos;
  Severity severity = Severity::error;
  std::string_view rule;  ///< an id from compiler/base/rules.h
  std::string message;
};

/// Every problem found in one file, in the order they were found, up to
/// max_kept: a hostile file can hold a problem on every line, and a report of
/// the first few hundred says all there is to say.
class Diagnostics {
 public:
  static constexpr std::size_t max_kept = 200;

  void error(const SourcePos& pos, std::string_view rule, std::string message);
  void warning(const SourcePos& pos, std::string_view rule, std::string message);
  void note(const SourcePos& pos, std::string_view rule, std::string message);
  bool has_errors() const;
  /// How many problems were found past max_kept and not kept.
  std::size_t dropped() const { return dropped_; }
  std::size_t count(Severity severity) const;
  const std::vector<Diagnostic>& all() const { return items_; }
  /// Drops every diagnostic `drop` is true of.
  void remove_if(const std::function<bool(const Diagnostic&)>& drop);
  /// Sorts by file, then position, so the report reads top to bottom.
  void sort_by_position();

  /// Keeps the text of another file that diagnostics point into (the app
  /// template), so that rendering can show its lines.
  void add_source(const std::string& file, std::string text);
  /// The text kept for `file`, or nullptr.
  const std::string* source_of(const std::string& file) const;

 private:
  void add(Diagnostic d);

  std::vector<Diagnostic> items_;
  std::size_t dropped_ = 0;
  bool has_errors_ = false;
  std::map<std::string, std::string, std::less<>> sources_;
};

/// The column of `d` counted in characters (UTF-8 code points) of its line in
/// `source`, as the text, JSON and SARIF reports all show it.
std::size_t display_column(const Diagnostic& d, std::string_view source);

/// Renders one diagnostic with the line of `source` it points into and a caret
/// under the column. Tabs in the line are kept in the caret's indentation so the
/// caret lines up; multi-byte UTF-8 characters count as one column.
std::string render(const Diagnostic& d, std::string_view source);

/// Renders all diagnostics, each followed by its source line and caret.
/// `source` is the text of the spec; other files come from add_source.
std::string render_all(const Diagnostics& ds, std::string_view source);

}  // namespace mrp
