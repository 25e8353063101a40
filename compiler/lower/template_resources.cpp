#include "compiler/lower/template_resources.h"

#include <fmt/format.h>

#include "compiler/yaml/yaml_nodes.h"

namespace mrp {
namespace {

using yaml::child;
using yaml::is_map;
using yaml::present;
using yaml::text;

constexpr std::string_view for_each = "Fn::ForEach::";

// CloudFormation allows five loops inside one another; deeper than this is
// not a template, and the reader does not follow it.
constexpr int max_loop_depth = 8;

// A walk of the whole template meets every node once per path to it; YAML
// aliases can make those paths many (or a cycle), so the walk stops at a
// depth and a count no template reaches (CloudFormation takes templates of up
// to 1 MB, which hold fewer nodes).
constexpr int max_walk_depth = 128;
constexpr long max_walk_nodes = 250000;

class ResourceReader {
 public:
  ResourceReader(const ShapeError& error, std::vector<TemplateResource>& out)
      : error_(error), out_(out) {}

  void entries(const YAML::Node& map, int depth) {
    for (const auto& entry : map) {
      if (!yaml::is_scalar(entry.first)) {
        error_(entry.first.Mark(),
               "a logical id under `Resources` must be a name, not a map or a list");
        continue;
      }
      const std::string& id = entry.first.Scalar();
      // `Fn::Transform` (AWS::Include) inserts resources of a snippet; the
      // caller reads it (included_resources).
      if (id == "Fn::Transform") continue;
      if (id.rfind(for_each, 0) == 0) {
        loop(id, entry.second, entry.first.Mark(), depth);
        continue;
      }
      if (resource(id, entry.second, entry.first.Mark()))
        out_.push_back({id, entry.second, entry.first.Mark(), depth > 0});
    }
  }

 private:
  // `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: Resource}]`.
  void loop(const std::string& id, const YAML::Node& loop, const YAML::Mark& at, int depth) {
    if (!yaml::is_list(loop) || loop.size() != 3 || !yaml::is_scalar(loop[0]) || !is_map(loop[2])) {
      error_(present(loop) ? loop.Mark() : at,
             fmt::format("`{}` must be a list of an identifier, a collection and a map of the "
                         "resources each item makes",
                         id));
      return;
    }
    if (depth + 1 > max_loop_depth) {
      error_(at, fmt::format("`{}` is nested in more loops than CloudFormation allows", id));
      return;
    }
    entries(loop[2], depth + 1);
  }

  // Whether `res` is a resource the compiler can read; reports why not.
  bool resource(const std::string& id, const YAML::Node& res, const YAML::Mark& at) {
    if (!is_map(res)) {
      error_(present(res) ? res.Mark() : at,
             fmt::format("resource `{}` must be a map with a `Type`", id));
      return false;
    }
    const YAML::Node type = child(res, "Type");
    if (!present(type)) {
      error_(at, fmt::format("resource `{}` has no `Type`", id));
      return false;
    }
    if (!yaml::is_literal(type) || type.Scalar().find("::") == std::string::npos) {
      error_(type.Mark(), fmt::format("the `Type` of `{}` must be a resource type such as "
                                      "`AWS::SNS::Topic`",
                                      id));
      return false;
    }
    properties(id, res);
    if (type.Scalar().rfind("AWS::Serverless::", 0) == 0) events(id, child(res, "Properties"));
    const YAML::Node connectors = child(res, "Connectors");
    if (present(connectors) && !is_map(connectors))
      error_(connectors.Mark(), fmt::format("the `Connectors` of `{}` must be a map", id));
    return true;
  }

  void properties(const std::string& id, const YAML::Node& res) {
    const YAML::Node props = child(res, "Properties");
    if (!present(props)) return;
    if (!is_map(props)) {
      error_(props.Mark(), fmt::format("the `Properties` of `{}` must be a map", id));
      return;
    }
    for (const auto& p : props)
      if (!yaml::is_scalar(p.first))
        error_(p.first.Mark(),
               fmt::format("a property of `{}` must be a name, not a map or a list", id));
  }

  // A SAM resource's `Events`: a map of events, each with a `Type`.
  void events(const std::string& id, const YAML::Node& props) {
    const YAML::Node events = child(props, "Events");
    if (!present(events)) return;
    if (!is_map(events)) {
      error_(events.Mark(), fmt::format("the `Events` of `{}` must be a map", id));
      return;
    }
    for (const auto& e : events) {
      const std::string name = text(e.first);
      const YAML::Node type = child(e.second, "Type");
      if (!yaml::is_scalar(e.first) || !is_map(e.second))
        error_(e.first.Mark(),
               fmt::format("an event of `{}` must be a name with a map of `Type` and "
                           "`Properties`",
                           id));
      else if (!yaml::is_literal(type))
        error_(present(type) ? type.Mark() : e.first.Mark(),
               fmt::format("event `{}` of `{}` needs a `Type` such as `Api` or `SQS`", name, id));
      else if (present(child(e.second, "Properties")) && !is_map(child(e.second, "Properties")))
        error_(child(e.second, "Properties").Mark(),
               fmt::format("the `Properties` of event `{}` of `{}` must be a map", name, id));
    }
  }

  const ShapeError& error_;
  std::vector<TemplateResource>& out_;
};

class MacroFinder {
 public:
  explicit MacroFinder(std::vector<MacroCall>& out) : out_(out) {}

  void section(const YAML::Node& transform) {
    if (yaml::is_scalar(transform)) return add(transform, YAML::Node(), true);
    if (is_map(transform)) return call(transform, true);
    if (yaml::is_list(transform))
      for (const auto& t : transform) add(t, YAML::Node(), true);
  }

  void walk(const YAML::Node& n, int depth) {
    if (!n.IsDefined() || depth > max_walk_depth || ++visited_ > max_walk_nodes) return;
    if (n.Tag() == "!Transform") call(n, false);
    if (n.IsSequence())
      for (const auto& item : n) walk(item, depth + 1);
    if (!n.IsMap()) return;
    for (const auto& entry : n) {
      if (text(entry.first) == "Fn::Transform") call(entry.second, false);
      walk(entry.second, depth + 1);
    }
  }

 private:
  // `{Name: MACRO, Parameters: {…}}`
  void call(const YAML::Node& n, bool in_section) {
    add(child(n, "Name"), child(n, "Parameters"), in_section);
  }

  void add(const YAML::Node& name, const YAML::Node& parameters, bool in_section) {
    if (yaml::is_scalar(name)) out_.push_back({name.Scalar(), parameters, name.Mark(), in_section});
  }

  std::vector<MacroCall>& out_;
  long visited_ = 0;
};

}  // namespace

std::vector<TemplateResource> list_resources(const YAML::Node& resources, const ShapeError& error) {
  std::vector<TemplateResource> out;
  if (is_map(resources)) ResourceReader(error, out).entries(resources, 0);
  return out;
}

void check_sections(const YAML::Node& root, const ShapeError& error) {
  const YAML::Node globals = child(root, "Globals");
  if (!present(globals)) return;
  if (!is_map(globals)) return error(globals.Mark(), "`Globals` must be a map of resource types");
  for (const auto& g : globals)
    if (!yaml::is_scalar(g.first) || !is_map(g.second))
      error(g.first.Mark(),
            "`Globals` must map a resource type such as `Function` to a map of its properties");
}

std::vector<MacroCall> macro_calls(const YAML::Node& root) {
  std::vector<MacroCall> out;
  MacroFinder finder(out);
  finder.section(child(root, "Transform"));
  if (is_map(root))
    for (const auto& entry : root)
      if (text(entry.first) != "Transform") finder.walk(entry.second, 1);
  return out;
}

bool is_aws_macro(const std::string& name) { return name.rfind("AWS::", 0) == 0; }

}  // namespace mrp
