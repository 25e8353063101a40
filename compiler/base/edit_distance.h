#pragma once
// The Levenshtein distance between two words, for did-you-mean suggestions.

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace mrp {

enum class LetterCase { matters, ignored };

/// The fewest insertions, deletions and substitutions that make `a` into `b`;
/// with LetterCase::ignored, ASCII letters match either case.
inline std::size_t edit_distance(std::string_view a, std::string_view b,
                                 LetterCase letter_case = LetterCase::matters) {
  const auto fold = [&](char c) {
    return letter_case == LetterCase::ignored && c >= 'A' && c <= 'Z'
               ? static_cast<char>(c - 'A' + 'a')
               : c;
  };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t change = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + change});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace mrp
