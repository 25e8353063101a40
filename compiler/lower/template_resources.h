#pragma once
// The resources of an app template as CloudFormation will create them: the
// entries of `Resources`, with the bodies of `Fn::ForEach` loops
// (AWS::LanguageExtensions) among them; the shapes CloudFormation would
// refuse, each reported where it is; and the macros the template calls.

#include <functional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mrp {

/// Reports a shape of the template the reader cannot take, at yaml-cpp's
/// mark, with the reason ("a logical id under `Resources` must be a name").
using ShapeError = std::function<void(const YAML::Mark&, const std::string&)>;

/// One resource: an entry of `Resources`, or one a loop there makes (its
/// logical id is then the loop's template, such as `Topic${Name}`).
struct TemplateResource {
  std::string id;
  YAML::Node node;       ///< the resource: a map with `Type`
  YAML::Mark id_mark;    ///< where the logical id is written
  bool in_loop = false;  ///< made by an `Fn::ForEach` loop
};

/// The resources of the `Resources` map `resources`, in template order, loop
/// bodies in place of their loops (nested loops too). Entries that are not
/// resources CloudFormation can read are reported through `error` and left
/// out; so are a resource's `Type`, `Properties` and the other shapes the
/// compiler reads (a SAM resource's `Events`) when they are not what
/// CloudFormation and SAM take.
std::vector<TemplateResource> list_resources(const YAML::Node& resources, const ShapeError& error);

/// Reports the shapes of the template's other sections the compiler reads:
/// `Globals` and its sections must be maps.
void check_sections(const YAML::Node& root, const ShapeError& error);

/// A macro the template calls: in its `Transform` section, or through
/// `Fn::Transform` anywhere.
struct MacroCall {
  std::string name;         ///< AWS::Include, AWS::Serverless-2016-10-31, or an account's macro
  YAML::Node parameters;    ///< what it is given (AWS::Include's `Location`), if any
  YAML::Mark mark;          ///< where the name is written
  bool in_section = false;  ///< named in the `Transform` section
};

/// Every macro `root` calls, in template order.
std::vector<MacroCall> macro_calls(const YAML::Node& root);

/// Whether `name` is a macro AWS hosts (AWS::Serverless-2016-10-31,
/// AWS::Include, AWS::LanguageExtensions, …) rather than one of the account's.
bool is_aws_macro(const std::string& name);

}  // namespace mrp
