#include "compiler/lower/schema.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "compiler/base/edit_distance.h"
#include "compiler/base/rules.h"

namespace mrp {
namespace {

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string expected_args(const DirectiveShape& s) {
  if (s.max_args == any_count) return fmt::format("at least {}", plural(s.min_args, "argument"));
  if (s.min_args == s.max_args) return plural(s.min_args, "argument");
  return fmt::format("{} to {} arguments", s.min_args, s.max_args);
}

std::string one_of(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += fmt::format("`{}`", words[i]);
  }
  return out;
}

// The block a directive sits in, for messages: "in `build`" or "at the top level".
std::string where(const Directive& parent) {
  return parent.name.empty() ? "at the top level" : fmt::format("in `{}`", parent.name);
}

// Reports a directive that must not have a block or arguments it has.
bool check_shape(const Directive& d, const DirectiveShape& shape, Diagnostics& diags) {
  bool ok = true;
  const std::size_t n = d.args.size();
  if (n < shape.min_args || (shape.max_args != any_count && n > shape.max_args)) {
    const SourcePos& at = n > shape.max_args ? d.args[shape.max_args].pos : d.pos;
    std::string hint = shape.arg_hint.empty() ? "" : fmt::format(" ({})", shape.arg_hint);
    diags.error(at, rule::argument_count,
                fmt::format("`{}` takes {}{}, got {}", d.name, expected_args(shape), hint, n));
    ok = false;
  }
  if (shape.block == BlockRule::required && !d.has_block) {
    diags.error(d.pos, rule::block_shape,
                fmt::format("`{}` needs a block: `{} … {{ … }}`", d.name, d.name));
    ok = false;
  }
  if (shape.block == BlockRule::none && d.has_block) {
    diags.error(d.block_pos, rule::block_shape, fmt::format("`{}` does not take a block", d.name));
    ok = false;
  }
  return ok;
}

}  // namespace

std::string_view closest_word(std::string_view word, const std::vector<std::string_view>& known) {
  // A word cut short is meant as the word it starts: `CAPABILITY_NAMED` is
  // `CAPABILITY_NAMED_IAM` although `CAPABILITY_IAM` is fewer edits away.
  for (auto k : known)
    if (word.size() >= 3 && k.size() > word.size() && k.substr(0, word.size()) == word) return k;
  // Ties go to the word that shares the longer prefix.
  const auto common_prefix = [&](std::string_view k) {
    std::size_t n = 0;
    while (n < k.size() && n < word.size() && k[n] == word[n]) ++n;
    return n;
  };
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (auto k : known) {
    const auto d = edit_distance(word, k);
    if (d < best_distance ||
        (d == best_distance && !best.empty() && common_prefix(k) > common_prefix(best))) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string_view>& known) {
  if (auto guess = closest_word(word, known); !guess.empty())
    return fmt::format("; did you mean `{}`?", guess);
  return fmt::format("; expected {}", one_of(known));
}

Children check_children(const Directive& parent, const std::vector<Directive>& children,
                        const std::vector<DirectiveShape>& shapes, Diagnostics& diags) {
  std::vector<std::string_view> names;
  names.reserve(shapes.size());
  for (const auto& s : shapes) names.push_back(s.name);
  Children found;
  std::map<std::string_view, const Directive*> first_seen;
  std::set<std::string_view> present;
  for (const auto& child : children) {
    const auto shape = std::find_if(shapes.begin(), shapes.end(),
                                    [&](const DirectiveShape& s) { return s.name == child.name; });
    if (shape == shapes.end()) {
      diags.error(child.pos, rule::unknown_directive,
                  fmt::format("unknown directive `{}` {}{}", child.name, where(parent),
                              suggestion(child.name, names)));
      continue;
    }
    present.insert(shape->name);
    if (!shape->repeats) {
      auto [it, fresh] = first_seen.emplace(shape->name, &child);
      if (!fresh) {
        diags.error(child.pos, rule::duplicate_directive,
                    fmt::format("`{}` is given twice {}; the first is on line {}", child.name,
                                where(parent), it->second->pos.line));
        continue;
      }
    }
    if (check_shape(child, *shape, diags)) found[child.name].push_back(&child);
  }
  for (const auto& s : shapes) {
    if (s.required && present.count(s.name) == 0)
      diags.error(
          parent.pos, rule::missing_directive,
          fmt::format(
              "{} needs {} `{}` directive",
              parent.name.empty() ? "a spec" : fmt::format("`{}`", parent.name),
              std::string_view("aeiou").find(s.name.front()) == std::string_view::npos ? "a" : "an",
              s.name));
  }
  return found;
}

}  // namespace mrp
