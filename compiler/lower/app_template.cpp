// The app templates, read with yaml-cpp, which keeps CloudFormation's
// short-form tags (`!Ref`, `!Sub`) as tags on ordinary nodes.

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/aws/service_prefixes.h"
#include "compiler/base/rules.h"
#include "compiler/lower/app_template.h"
#include "compiler/lower/iam.h"
#include "compiler/lower/schema.h"
#include "compiler/lower/template_parameters.h"

namespace mrp {
namespace {

namespace fs = std::filesystem;

// Properties that give an IAM resource a custom name, which CloudFormation
// accepts only with CAPABILITY_NAMED_IAM (CloudFormation API Reference,
// CreateStack, Capabilities).
constexpr std::array<std::string_view, 5> iam_name_properties = {
    "RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"};

// SAM resources that create an IAM role unless they are given one.
constexpr std::array<std::string_view, 2> sam_types_with_role = {"AWS::Serverless::Function",
                                                                 "AWS::Serverless::StateMachine"};

struct Needs {
  std::string transform;  ///< why CAPABILITY_AUTO_EXPAND is needed, or ""
  std::string iam;        ///< why CAPABILITY_IAM is needed, or ""
  std::string named_iam;  ///< why CAPABILITY_NAMED_IAM is needed, or ""
};

std::string scalar_or(const YAML::Node& n, const std::string& fallback) {
  return n && n.IsScalar() ? n.Scalar() : fallback;
}

void note_resource(const std::string& id, const YAML::Node& res, Needs& needs) {
  const std::string type = scalar_or(res["Type"], "");
  const YAML::Node props = res["Properties"];
  if (type.rfind("AWS::IAM::", 0) == 0) {
    if (needs.iam.empty()) needs.iam = fmt::format("`{}` is an {}", id, type);
    for (auto name : iam_name_properties) {
      if (props && props.IsMap() && props[std::string(name)] && needs.named_iam.empty())
        needs.named_iam = fmt::format("`{}` sets {}", id, name);
    }
  }
  const bool creates_role = std::find(sam_types_with_role.begin(), sam_types_with_role.end(),
                                      type) != sam_types_with_role.end() &&
                            !(props && props.IsMap() && props["Role"]);
  if (creates_role && needs.iam.empty())
    needs.iam = fmt::format("`{}` ({}) creates its own role", id, type);
}

// The `Type`s of a SAM resource's `Events`.
std::vector<std::string> event_types(const YAML::Node& props) {
  std::vector<std::string> out;
  if (!props || !props.IsMap() || !props["Events"] || !props["Events"].IsMap()) return out;
  for (const auto& e : props["Events"])
    if (e.second.IsMap()) out.push_back(scalar_or(e.second["Type"], ""));
  return out;
}

class TemplateCheck {
 public:
  TemplateCheck(App& app, std::string shown, std::string boundary,
                const std::vector<TargetRegion>& regions, Diagnostics& diags)
      : app_(app),
        shown_(std::move(shown)),
        boundary_(std::move(boundary)),
        regions_(regions),
        diags_(diags) {}

  void run(const FileReader& files) {
    auto read = files.read(app_.template_in_spec);
    if (!read) {
      diags_.error(app_.template_pos, rule::app_template,
                   fmt::format("app template `{}` does not exist: the path is relative to the "
                               "spec's folder",
                               app_.template_in_spec));
      return;
    }
    std::string text = std::move(*read);
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      diags_.error(app_.template_pos, rule::app_template,
                   fmt::format("app template `{}` is not valid YAML: line {}, column {}: {}",
                               app_.template_in_spec, e.mark.line + 1, e.mark.column + 1, e.msg));
      return;
    }
    const YAML::Node resources = root.IsMap() ? root["Resources"] : YAML::Node();
    if (!resources || !resources.IsMap() || resources.size() == 0) {
      diags_.error(app_.template_pos, rule::app_template,
                   fmt::format("app template `{}` is not a CloudFormation or SAM template: it "
                               "has no `Resources` map",
                               app_.template_in_spec));
      return;
    }
    diags_.add_source(shown_, std::move(text));
    Needs needs;
    if (root["Transform"]) needs.transform = "it has a `Transform`";
    app_.template_has_transform = static_cast<bool>(root["Transform"]);
    const YAML::Node globals = root["Globals"];
    const bool global_boundary = globals && globals.IsMap() && globals["Function"] &&
                                 globals["Function"].IsMap() &&
                                 globals["Function"]["PermissionsBoundary"];
    const bool sam_transform = has_sam_transform(root["Transform"]);
    for (const auto& entry : resources) {
      if (!entry.first.IsScalar()) {
        diags_.error(at(entry.first.Mark()), rule::app_template,
                     fmt::format("app template `{}`: a logical id under `Resources` must be a "
                                 "name, not a map or a list",
                                 app_.template_in_spec));
        continue;
      }
      if (!entry.second.IsMap()) continue;
      const std::string& id = entry.first.Scalar();
      note_resource(id, entry.second, needs);
      note_types(entry.second);
      note_runtime(entry.second["Properties"]);
      if (!sam_transform) check_sam_type(id, entry.second);
      if (!boundary_.empty()) check_boundary(id, entry.second, global_boundary);
    }
    if (globals && globals.IsMap()) note_runtime(globals["Function"]);
    check_capabilities(needs);
    check_template_parameters(app_, root["Parameters"], regions_, diags_);
  }

 private:
  // The types the deploy role needs permissions for, and a warning for each
  // type the permission table does not cover and the spec does not cover
  // either (a managed policy, or an `allow` of the type's service).
  void note_types(const YAML::Node& res) {
    const YAML::Node type_node = res["Type"];
    if (!type_node || !type_node.IsScalar()) return;
    const std::string& type = type_node.Scalar();
    const YAML::Node props = res["Properties"];
    const bool has_role = props && props.IsMap() && props["Role"];
    std::vector<std::string> types = {type};
    for (auto& t : sam_implied_types(type, event_types(props), has_role)) types.push_back(t);
    for (const auto& t : types) {
      auto& known = app_.resource_types;
      if (std::find(known.begin(), known.end(), t) != known.end()) continue;
      known.push_back(t);
      if (!resource_type_covered(t) && !spec_covers(t)) warn_uncovered(t, type_node.Mark());
    }
  }

  bool spec_covers(const std::string& type) const {
    const Permissions& p = app_.permissions;
    if (p.admin || !p.managed_policies.empty()) return true;
    const std::string prefix = service_prefix(type) + ":";
    for (const auto& s : p.statements)
      for (const auto& a : s.actions)
        if (a == "*" || a.rfind(prefix, 0) == 0) return true;
    return false;
  }

  // Where yaml-cpp's mark (0-based) is in the template, as diagnostics say it.
  SourcePos at(const YAML::Mark& m) const {
    return SourcePos{shown_, static_cast<std::size_t>(m.line + 1),
                     static_cast<std::size_t>(m.column + 1), static_cast<std::size_t>(m.pos)};
  }

  void warn_uncovered(const std::string& type, const YAML::Mark& m) {
    diags_.warning(
        at(m), rule::resource_permissions,
        fmt::format("the deploy role gets no permissions for `{}`: mrp's permission table "
                    "does not list it; add what CloudFormation needs for it (`{}:` actions) to "
                    "the app's `permissions`",
                    type, service_prefix(type)));
  }

  // With a boundary, the deploy role may create only roles that carry it:
  // an IAM role, or the role SAM makes for a function or state machine.
  void check_boundary(const std::string& id, const YAML::Node& res, bool global_boundary) {
    const std::string type = scalar_or(res["Type"], "");
    const YAML::Node props = res["Properties"];
    const auto has = [&](const char* key) { return props && props.IsMap() && props[key]; };
    const bool sam = std::find(sam_types_with_role.begin(), sam_types_with_role.end(), type) !=
                     sam_types_with_role.end();
    if (type != "AWS::IAM::Role" && !(sam && !has("Role"))) return;
    if (has("PermissionsBoundary")) return;
    if (type == "AWS::Serverless::Function" && global_boundary) return;
    diags_.error(
        at(res["Type"].Mark()), rule::permissions_boundary,
        fmt::format("`{}` creates a role without a `PermissionsBoundary`; the deploy role may "
                    "only create roles within the spec's `boundary`: give it "
                    "`PermissionsBoundary: {}`",
                    id, boundary_));
  }

  // Only the SAM transform turns AWS::Serverless::* into CloudFormation; without
  // it CloudFormation refuses the template ("Unrecognized resource types").
  static bool has_sam_transform(const YAML::Node& transform) {
    const auto is_sam = [](const YAML::Node& n) {
      return n.IsScalar() && n.Scalar() == "AWS::Serverless-2016-10-31";
    };
    if (!transform) return false;
    if (transform.IsSequence()) return std::any_of(transform.begin(), transform.end(), is_sam);
    return is_sam(transform);
  }

  void check_sam_type(const std::string& id, const YAML::Node& res) {
    const YAML::Node type = res["Type"];
    if (!type || !type.IsScalar() || type.Scalar().rfind("AWS::Serverless::", 0) != 0) return;
    diags_.error(at(type.Mark()), rule::sam_transform,
                 fmt::format("`{}` is an {}, which only the SAM transform makes into "
                             "CloudFormation: add `Transform: AWS::Serverless-2016-10-31` to the "
                             "template",
                             id, type.Scalar()));
  }

  void note_runtime(const YAML::Node& props) {
    if (!props || !props.IsMap() || !props["Runtime"] || !props["Runtime"].IsScalar()) return;
    const YAML::Node runtime = props["Runtime"];
    // `!Ref`, `!Sub`, `!If`…: a value only CloudFormation knows.
    if (runtime.Tag().size() > 1 && runtime.Tag().front() == '!') return;
    app_.runtimes.push_back({runtime.Scalar(), at(runtime.Mark())});
  }

  bool declared(std::string_view cap) const {
    const auto& caps = app_.capabilities;
    return std::find(caps.begin(), caps.end(), cap) != caps.end();
  }

  void require(std::string_view cap, const std::string& why) {
    diags_.error(app_.capabilities_pos, rule::capabilities_needed,
                 fmt::format("app template `{}` needs {}: {}; add it to `capabilities`",
                             app_.template_in_spec, cap, why));
  }

  void check_capabilities(const Needs& needs) {
    if (!needs.transform.empty() && !declared("CAPABILITY_AUTO_EXPAND"))
      require("CAPABILITY_AUTO_EXPAND", needs.transform);
    if (!needs.named_iam.empty() && !declared("CAPABILITY_NAMED_IAM")) {
      require("CAPABILITY_NAMED_IAM", needs.named_iam);
    } else if (!needs.iam.empty() && !declared("CAPABILITY_IAM") &&
               !declared("CAPABILITY_NAMED_IAM")) {
      require("CAPABILITY_IAM", needs.iam);
    }
  }

  App& app_;
  std::string shown_;
  std::string boundary_;  ///< the spec's boundary, or "" for none
  const std::vector<TargetRegion>& regions_;
  Diagnostics& diags_;
};

}  // namespace

void read_app_templates(Ir& ir, const FileReader& files, Diagnostics& diags) {
  // One deploy role serves every app: a boundary in any app bounds them all.
  std::string boundary;
  for (const auto& app : ir.apps)
    if (boundary.empty()) boundary = app.permissions.boundary;
  for (auto& app : ir.apps) {
    if (app.template_in_spec.empty()) continue;
    // Diagnostics in the template name it as the spec's own diagnostics name the
    // spec: the template's path beside the spec's path as the user gave it.
    const std::string shown = (fs::path(ir.pipeline_pos.file).parent_path() / app.template_in_spec)
                                  .lexically_normal()
                                  .generic_string();
    TemplateCheck(app, shown, boundary, ir.regions, diags).run(files);
  }
}

}  // namespace mrp
