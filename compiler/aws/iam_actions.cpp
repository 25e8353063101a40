#include "compiler/aws/iam_actions.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <vector>

#include "compiler/base/edit_distance.h"

namespace mrp {
namespace {

// One service prefix: its actions as `prefix:Action`, end to end in `text`,
// sorted without regard to case; the i-th ends at `ends[i]`.
struct IamService {
  std::string_view prefix;
  const char* text;
  std::span<const std::uint16_t> ends;

  std::size_t size() const { return ends.size(); }
  std::string_view action(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return {text + begin, ends[i] - begin};
  }
  std::string_view name(std::size_t i) const { return action(i).substr(prefix.size() + 1); }
};

#include "compiler/aws/iam_actions.inc"

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

int compare_folded(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char x = lower(a[i]), y = lower(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

bool equal_folded(std::string_view a, std::string_view b) { return compare_folded(a, b) == 0; }

const IamService* find_service(std::string_view prefix) {
  const auto it = std::lower_bound(
      std::begin(iam_services), std::end(iam_services), prefix,
      [](const IamService& s, std::string_view p) { return compare_folded(s.prefix, p) < 0; });
  return it != std::end(iam_services) && equal_folded(it->prefix, prefix) ? &*it : nullptr;
}

// The action named `name` (without its prefix) in `service`, or nullopt.
std::optional<std::string_view> find_action(const IamService& service, std::string_view name) {
  std::size_t lo = 0, hi = service.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (compare_folded(service.name(mid), name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < service.size() && equal_folded(service.name(lo), name)) return service.action(lo);
  return std::nullopt;
}

// IAM's wildcards: `*` any run of characters, `?` one; without regard to case.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// The length of the longest common subsequence: how much of an abbreviation
// such as `elbv2` a prefix such as `elasticloadbalancing` spells out.
std::size_t common_subsequence(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1, 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = 0;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = lower(a[i - 1]) == lower(b[j - 1]) ? diag + 1 : std::max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.size()];
}

// How far a misspelt name may be from what it meant, as the directive
// suggestions allow.
std::size_t near_enough(std::string_view word) { return std::max<std::size_t>(2, word.size() / 3); }

std::size_t length_difference(std::string_view a, std::string_view b) {
  return a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
}

// The closest action name of `service` to `name`, within near_enough.
std::optional<std::string_view> closest_action(const IamService& service, std::string_view name) {
  std::optional<std::string_view> best;
  std::size_t best_distance = near_enough(name) + 1;
  for (std::size_t i = 0; i < service.size(); ++i) {
    // The distance is at least the difference in length: most names need no
    // computing.
    if (length_difference(name, service.name(i)) >= best_distance) continue;
    const std::size_t d = edit_distance(name, service.name(i), LetterCase::ignored);
    if (d < best_distance) {
      best = service.action(i);
      best_distance = d;
    }
  }
  return best;
}

// `name` in the service other than `skip` whose prefix looks most like
// `prefix`: the longest common subsequence, then the smallest edit distance.
std::optional<std::string_view> same_name_elsewhere(std::string_view prefix, std::string_view name,
                                                    const IamService* skip) {
  std::optional<std::string_view> best;
  std::size_t best_common = 0, best_distance = 0;
  for (const IamService& s : iam_services) {
    if (&s == skip) continue;
    const auto found = find_action(s, name);
    if (!found) continue;
    const std::size_t common = common_subsequence(prefix, s.prefix);
    const std::size_t distance = edit_distance(prefix, s.prefix, LetterCase::ignored);
    if (!best || common > best_common || (common == best_common && distance < best_distance)) {
      best = found;
      best_common = common;
      best_distance = distance;
    }
  }
  return best;
}

const IamService* closest_service(std::string_view prefix) {
  const IamService* best = nullptr;
  std::size_t best_distance = near_enough(prefix) + 1;
  for (const IamService& s : iam_services) {
    if (length_difference(prefix, s.prefix) >= best_distance) continue;
    const std::size_t d = edit_distance(prefix, s.prefix, LetterCase::ignored);
    if (d < best_distance) {
      best = &s;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace

std::optional<std::string_view> canonical_iam_action(std::string_view action) {
  const auto colon = action.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const IamService* service = find_service(action.substr(0, colon));
  if (!service) return std::nullopt;
  return find_action(*service, action.substr(colon + 1));
}

bool iam_service_known(std::string_view prefix) { return find_service(prefix) != nullptr; }

std::size_t iam_actions_matching(std::string_view pattern) {
  const auto colon = pattern.find(':');
  const auto count_in = [&](const IamService& s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const bool match = colon == std::string_view::npos
                             ? glob_match(pattern, s.action(i))
                             : glob_match(pattern.substr(colon + 1), s.name(i));
      if (match) ++count;
    }
    return count;
  };
  if (colon != std::string_view::npos &&
      pattern.substr(0, colon).find_first_of("*?") == std::string_view::npos) {
    const IamService* s = find_service(pattern.substr(0, colon));
    return s ? count_in(*s) : 0;
  }
  std::size_t count = 0;
  for (const IamService& s : iam_services)
    if (colon == std::string_view::npos || glob_match(pattern.substr(0, colon), s.prefix))
      count += count_in(s);
  return count;
}

std::string suggest_iam_action(std::string_view action) {
  const auto colon = action.find(':');
  if (colon == std::string_view::npos) return "";
  const std::string_view prefix = action.substr(0, colon), name = action.substr(colon + 1);
  const IamService* service = find_service(prefix);
  if (service)
    if (const auto near = closest_action(*service, name)) return std::string(*near);
  if (const auto elsewhere = same_name_elsewhere(prefix, name, service))
    return std::string(*elsewhere);
  if (!service)
    if (const IamService* near_service = closest_service(prefix)) {
      if (const auto exact = find_action(*near_service, name)) return std::string(*exact);
      if (const auto near = closest_action(*near_service, name)) return std::string(*near);
    }
  return "";
}

}  // namespace mrp
