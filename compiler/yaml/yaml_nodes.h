#pragma once
// Reading YAML written by hand (app templates, the 2018 layouts mrp import
// reads) through yaml-cpp without surprises. yaml-cpp throws when a key is
// looked up in a scalar, or when a missing key's node is asked anything but
// whether it exists; such files can hold any shape, so the readers look values
// up only through these helpers, which answer an empty node instead. A value
// given as YAML null (`Key:` or `~`) counts as absent, as CloudFormation and SAM
// read it.

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace mrp::yaml {

/// Whether `n` holds a value: defined and not null.
inline bool present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

/// The value under `key` of the map `n`; an empty node when `n` is not a map
/// or has no value under `key`.
inline YAML::Node child(const YAML::Node& n, std::string_view key) {
  if (!n.IsDefined() || !n.IsMap()) return YAML::Node();
  const YAML::Node c = n[std::string(key)];
  return present(c) ? c : YAML::Node();
}

/// The value at a dotted path of maps (`Command.ScriptLocation`) under `n`.
inline YAML::Node at_path(YAML::Node n, std::string_view path) {
  while (!path.empty()) {
    const auto dot = path.find('.');
    // reset() rebinds `n`; assigning would overwrite the node `n` refers to.
    n.reset(child(n, path.substr(0, dot)));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return n;
}

/// The text of a scalar, or "" for anything else.
inline std::string text(const YAML::Node& n) {
  return n.IsDefined() && n.IsScalar() ? n.Scalar() : std::string();
}

/// Whether `n` is a map / a sequence / a scalar (false for an absent node).
inline bool is_map(const YAML::Node& n) { return n.IsDefined() && n.IsMap(); }
inline bool is_list(const YAML::Node& n) { return n.IsDefined() && n.IsSequence(); }
inline bool is_scalar(const YAML::Node& n) { return n.IsDefined() && n.IsScalar(); }

/// Whether `n` carries a tag of its own (`!Ref`, `!Sub`), rather than none
/// (`?`), a quoted scalar's (`!`) or one of YAML's standard types.
inline bool has_custom_tag(const YAML::Node& n) {
  if (!n.IsDefined()) return false;
  const std::string& tag = n.Tag();
  return !tag.empty() && tag != "?" && tag != "!" && tag.rfind("tag:yaml.org,2002:", 0) != 0;
}

/// A text value written as such: a scalar without a short-form function tag.
inline bool is_literal(const YAML::Node& n) { return is_scalar(n) && !has_custom_tag(n); }

/// The text of a literal (see is_literal), or "" for anything else.
inline std::string literal(const YAML::Node& n) {
  return is_literal(n) ? n.Scalar() : std::string();
}

/// An intrinsic function call, in either form: `!Sub x` or `{Fn::Sub: x}`.
struct Intrinsic {
  std::string name;  ///< Ref, Condition, Fn::Sub, Fn::If, …
  YAML::Node arg;
};

/// The function `n` calls, or nothing when it is a plain value.
inline std::optional<Intrinsic> intrinsic(const YAML::Node& n) {
  if (!n.IsDefined()) return std::nullopt;
  if (has_custom_tag(n)) {
    std::string name = n.Tag().substr(1);
    if (name != "Ref" && name != "Condition") name = "Fn::" + name;
    return Intrinsic{name, n};
  }
  if (!n.IsMap() || n.size() != 1) return std::nullopt;
  const auto entry = n.begin();
  const std::string key = text(entry->first);
  if (key == "Ref" || key == "Condition" || key.rfind("Fn::", 0) == 0)
    return Intrinsic{key, entry->second};
  return std::nullopt;
}

/// Whether `n` is `!Ref AWS::NoValue`.
inline bool is_no_value(const YAML::Node& n) {
  const auto f = intrinsic(n);
  return f && f->name == "Ref" && text(f->arg) == "AWS::NoValue";
}

}  // namespace mrp::yaml
