#include "compiler/lower/template_parameters.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <regex>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/base/utf8.h"
#include "compiler/lower/schema.h"

namespace mrp {
namespace {

// Values longer than this are not matched against an AllowedPattern:
// std::regex recurses per character, and CodePipeline's 1,000-character limit
// on ParameterOverrides (lint's config-value-length) refuses them anyway.
constexpr std::size_t max_pattern_checked_value = 1000;

std::optional<double> number(const std::string& s) {
  double v = 0;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return v;
}

std::size_t characters(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !is_utf8_continuation(c); }));
}

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

class ParameterCheck {
 public:
  ParameterCheck(const App& app, Diagnostics& diags) : app_(app), diags_(diags) {}

  // Every parameter the spec passes must be one the template declares, or
  // CloudFormation rejects the deploy ("Parameters: [X] do not exist").
  void declared_only(const std::vector<std::string>& names) {
    std::vector<std::string_view> known(names.begin(), names.end());
    for (const auto& p : app_.parameters) {
      if (std::find(names.begin(), names.end(), p.key) != names.end()) continue;
      diags_.error(p.pos, rule::parameter,
                   names.empty()
                       ? fmt::format("app template `{}` declares no parameters, so it cannot "
                                     "take `{}`",
                                     app_.template_in_spec, p.key)
                       : fmt::format("app template `{}` declares no parameter `{}`{}",
                                     app_.template_in_spec, p.key, suggestion(p.key, known)));
    }
  }

  // A parameter without a Default needs a value in every region, or
  // CloudFormation refuses the stack ("Parameters: [X] must have values").
  void required(const std::string& name, const std::vector<TargetRegion>& regions) {
    std::vector<std::string> missing;
    for (const TargetRegion& region : regions) {
      const bool set =
          std::any_of(app_.parameters.begin(), app_.parameters.end(), [&](const Parameter& p) {
            return p.key == name && (p.region.empty() || p.region == region.code);
          });
      if (!set) missing.push_back(region.code);
    }
    if (missing.empty()) return;
    std::string where;
    if (missing.size() < regions.size()) {
      where = " for";
      for (const auto& r : missing) where += (r == missing.front() ? " " : ", ") + r;
    }
    diags_.error(app_.template_pos, rule::parameter_required,
                 fmt::format("app template `{}` declares parameter `{}` without a `Default`, and "
                             "app `{}` does not set it{}: CloudFormation refuses the deploy; add "
                             "`parameter {} VALUE`{}",
                             app_.template_in_spec, name, app_.stack_name, where, name,
                             where.empty() ? "" : " to the app or to those regions"));
  }

  // CloudFormation's own checks of a value against its parameter's
  // constraints (CloudFormation User Guide, "Parameters").
  void value(const Parameter& p, const YAML::Node& decl) {
    const std::string type = scalar(decl["Type"]);
    if (type == "Number") {
      const auto v = number(p.value);
      if (!v) return bad(p, "takes a number (`Type: Number`)");
      if (const auto min = number(scalar(decl["MinValue"])); min && *v < *min)
        return bad(p, fmt::format("takes at least {} (`MinValue`)", scalar(decl["MinValue"])));
      if (const auto max = number(scalar(decl["MaxValue"])); max && *v > *max)
        return bad(p, fmt::format("takes at most {} (`MaxValue`)", scalar(decl["MaxValue"])));
    } else if (type == "String") {
      const std::size_t n = characters(p.value);
      if (const auto min = number(scalar(decl["MinLength"])); min && static_cast<double>(n) < *min)
        return bad(p, fmt::format("takes at least {} characters (`MinLength`), not {}",
                                  scalar(decl["MinLength"]), n));
      if (const auto max = number(scalar(decl["MaxLength"])); max && static_cast<double>(n) > *max)
        return bad(p, fmt::format("takes at most {} characters (`MaxLength`), not {}",
                                  scalar(decl["MaxLength"]), n));
      if (!matches_pattern(p.value, scalar(decl["AllowedPattern"])))
        return bad(p, fmt::format("takes only values that match `{}` (`AllowedPattern`)",
                                  scalar(decl["AllowedPattern"])));
    } else {
      return;  // lists and AWS-specific types: AWS checks them against the account
    }
    const YAML::Node allowed = decl["AllowedValues"];
    if (!allowed || !allowed.IsSequence() || allowed.size() == 0) return;
    std::vector<std::string> values;
    for (const auto& a : allowed) {
      if (scalar(a) == p.value) return;
      values.push_back(scalar(a));
    }
    std::string listed;
    for (std::size_t i = 0; i < values.size(); ++i)
      listed += fmt::format("{}`{}`",
                            i == 0                   ? ""
                            : i + 1 == values.size() ? " or "
                                                     : ", ",
                            values[i]);
    bad(p, fmt::format("takes only {} (`AllowedValues`)", listed));
  }

 private:
  // An AllowedPattern is a Java regular expression that must match the whole
  // value. One std::regex cannot read (lookbehind, possessive quantifiers) is
  // not judged: only AWS can say.
  static bool matches_pattern(const std::string& value, const std::string& pattern) {
    if (pattern.empty() || value.size() > max_pattern_checked_value) return true;
    try {
      return std::regex_match(value, std::regex(pattern));
    } catch (const std::regex_error&) {
      return true;
    }
  }

  void bad(const Parameter& p, const std::string& why) {
    diags_.error(p.pos, rule::parameter_value,
                 fmt::format("parameter `{}` = `{}`{}: app template `{}` {}; CloudFormation "
                             "refuses the deploy",
                             p.key, p.value, p.region.empty() ? "" : " for " + p.region,
                             app_.template_in_spec, why));
  }

  const App& app_;
  Diagnostics& diags_;
};

}  // namespace

void check_template_parameters(const App& app, const YAML::Node& declared,
                               const std::vector<TargetRegion>& regions, Diagnostics& diags) {
  ParameterCheck check(app, diags);
  std::vector<std::string> names;
  if (declared && declared.IsMap())
    for (const auto& d : declared)
      if (d.first.IsScalar()) names.push_back(d.first.Scalar());
  check.declared_only(names);
  if (!declared || !declared.IsMap()) return;
  for (const auto& d : declared) {
    if (!d.first.IsScalar() || !d.second.IsMap()) continue;
    if (!d.second["Default"]) check.required(d.first.Scalar(), regions);
    for (const auto& p : app.parameters)
      if (p.key == d.first.Scalar()) check.value(p, d.second);
  }
}

}  // namespace mrp
