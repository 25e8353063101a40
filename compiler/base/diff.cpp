#include "compiler/base/diff.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include <fmt/format.h>
#include <dtl/dtl.hpp>

namespace mrp {
namespace {

/// Each line keeps its '\n', so a last line without one differs from the same
/// line with one, as in diff.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::size_t length = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return lines;
}

enum class Edit { keep, remove, add };

struct ScriptLine {
  Edit edit;
  std::string_view text;
};

/// The shortest edit script, from dtl (the O(NP) algorithm of Wu, Manber and
/// Myers). With deletes first, each change lists its removed lines before its
/// added ones, the order diff prints them in.
std::vector<ScriptLine> edit_script(std::string_view before, std::string_view after) {
  dtl::Diff<std::string_view> diff(split_lines(before), split_lines(after), true);
  diff.compose();
  std::vector<ScriptLine> script;
  for (const auto& [text, info] : diff.getSes().getSequence()) {
    const Edit edit = info.type == dtl::SES_ADD      ? Edit::add
                      : info.type == dtl::SES_DELETE ? Edit::remove
                                                     : Edit::keep;
    script.push_back({edit, text});
  }
  return script;
}

/// Lines [begin, end) of the edit script.
struct Hunk {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// Groups the changes as diff does: two changes share a hunk when at most
/// 2 * context unchanged lines lie between them. dtl's own composeUnifiedHunks
/// is not used: its context is fixed at 3, it splits hunks diff keeps together,
/// and it numbers an empty range from 1 where diff uses the line before it.
std::vector<Hunk> group_hunks(const std::vector<ScriptLine>& script, std::size_t context) {
  std::vector<Hunk> hunks;
  const std::size_t n = script.size();
  std::size_t i = 0;
  while (i < n) {
    if (script[i].edit == Edit::keep) {
      ++i;
      continue;
    }
    std::size_t last_change = i;
    for (std::size_t j = i + 1; j < n && j - last_change <= 2 * context + 1; ++j)
      if (script[j].edit != Edit::keep) last_change = j;
    hunks.push_back({i - std::min(context, i), std::min(n, last_change + 1 + context)});
    i = hunks.back().end;
  }
  return hunks;
}

/// `start` is the number of lines before the range. diff writes an empty range
/// as the line before it, and a one-line range without its count.
std::string range(std::size_t start, std::size_t count) {
  if (count == 0) return fmt::format("{},0", start);
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", start + 1, count);
}

void append_line(std::string& out, char prefix, std::string_view line) {
  out += prefix;
  out += line;
  if (line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_label, std::string_view after_label, int context) {
  if (before == after) return "";
  const std::vector<ScriptLine> script = edit_script(before, after);
  std::string out = fmt::format("--- {}\n+++ {}\n", before_label, after_label);
  std::size_t done = 0, before_line = 0, after_line = 0;  // lines of each text so far
  for (const Hunk& hunk : group_hunks(script, static_cast<std::size_t>(std::max(context, 0)))) {
    const std::size_t kept = hunk.begin - done;  // only kept lines lie between hunks
    before_line += kept;
    after_line += kept;
    done = hunk.begin;
    std::size_t before_count = 0, after_count = 0;
    for (std::size_t k = hunk.begin; k < hunk.end; ++k) {
      before_count += script[k].edit != Edit::add;
      after_count += script[k].edit != Edit::remove;
    }
    out += fmt::format("@@ -{} +{} @@\n", range(before_line, before_count),
                       range(after_line, after_count));
    for (; done < hunk.end; ++done) {
      const ScriptLine& line = script[done];
      append_line(out,
                  line.edit == Edit::keep     ? ' '
                  : line.edit == Edit::remove ? '-'
                                              : '+',
                  line.text);
    }
    before_line += before_count;
    after_line += after_count;
  }
  return out;
}

}  // namespace mrp
