// The app templates, read with yaml-cpp, which keeps CloudFormation's
// short-form tags (`!Ref`, `!Sub`) as tags on ordinary nodes.

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/aws/service_prefixes.h"
#include "compiler/base/rules.h"
#include "compiler/lower/app_template.h"
#include "compiler/lower/iam.h"
#include "compiler/lower/property_uses.h"
#include "compiler/lower/sam_resources.h"
#include "compiler/lower/template_checks.h"
#include "compiler/lower/template_parameters.h"
#include "compiler/lower/template_resources.h"
#include "compiler/yaml/yaml_nodes.h"

namespace mrp {
namespace {

namespace fs = std::filesystem;
using yaml::child;
using yaml::present;
using yaml::text;

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

// An IAM resource needs CAPABILITY_IAM, or with a custom name
// CAPABILITY_NAMED_IAM.
void note_iam(const TemplateResource& r, Needs& needs) {
  const std::string type = text(child(r.node, "Type"));
  if (type.rfind("AWS::IAM::", 0) != 0) return;
  if (needs.iam.empty()) needs.iam = fmt::format("`{}` is an {}", r.id, type);
  for (auto name : iam_name_properties)
    if (present(child(child(r.node, "Properties"), name)) && needs.named_iam.empty())
      needs.named_iam = fmt::format("`{}` sets {}", r.id, name);
}

// Why the template needs CAPABILITY_AUTO_EXPAND: a `Transform` section, or a
// macro called through `Fn::Transform`; "" when it does not.
std::string transform_reason(const YAML::Node& root, const std::vector<MacroCall>& calls) {
  if (present(child(root, "Transform"))) return "it has a `Transform`";
  for (const auto& c : calls)
    if (!c.in_section)
      return fmt::format("it calls the macro `{}` through `Fn::Transform`", c.name);
  return "";
}

// What the template needs of the spec's `capabilities`, read as the SAM
// transform will expand it: lint's check and `mrp init` both ask this.
Needs needs_of(const YAML::Node& root, const std::vector<TemplateResource>& resources,
               const std::vector<MacroCall>& calls, const SamTemplate& tpl, bool sam) {
  Needs needs;
  needs.transform = transform_reason(root, calls);
  for (const auto& r : resources) {
    note_iam(r, needs);
    const std::string type = text(child(r.node, "Type"));
    if (needs.iam.empty() && (sam || type.rfind("AWS::Serverless::", 0) == 0))
      needs.iam = sam_expansion(r.id, r.node, tpl).iam;
  }
  return needs;
}

// The capabilities `needs` asks for that `declared` lacks, each with why.
std::vector<std::pair<std::string, std::string>> missing_capabilities(
    const Needs& needs, const std::vector<std::string>& declared) {
  const auto has = [&](std::string_view cap) {
    return std::find(declared.begin(), declared.end(), cap) != declared.end();
  };
  std::vector<std::pair<std::string, std::string>> out;
  if (!needs.transform.empty() && !has("CAPABILITY_AUTO_EXPAND"))
    out.emplace_back("CAPABILITY_AUTO_EXPAND", needs.transform);
  if (!needs.named_iam.empty() && !has("CAPABILITY_NAMED_IAM"))
    out.emplace_back("CAPABILITY_NAMED_IAM", needs.named_iam);
  else if (!needs.iam.empty() && !has("CAPABILITY_IAM") && !has("CAPABILITY_NAMED_IAM"))
    out.emplace_back("CAPABILITY_IAM", needs.iam);
  return out;
}

// The SAM template view that sam_expansion reads: Globals and each
// resource's type.
SamTemplate sam_template(const YAML::Node& root, const std::vector<TemplateResource>& resources) {
  std::map<std::string, std::string, std::less<>> types;
  for (const auto& r : resources) types.emplace(r.id, text(child(r.node, "Type")));
  return SamTemplate{child(root, "Globals"), [types](const std::string& id) {
                       const auto it = types.find(id);
                       return it == types.end() ? std::string() : it->second;
                     }};
}

// Only the SAM transform turns AWS::Serverless::* into CloudFormation; without
// it CloudFormation refuses the template ("Unrecognized resource types").
bool has_sam_transform(const YAML::Node& transform) {
  const auto is_sam = [](const YAML::Node& n) { return text(n) == "AWS::Serverless-2016-10-31"; };
  if (yaml::is_list(transform)) return std::any_of(transform.begin(), transform.end(), is_sam);
  return is_sam(transform);
}

// A function that names a BuildMethod needs `sam build`: packaged as it is,
// it would deploy its unbuilt sources. Unless the spec says otherwise, mrp
// builds such an app with sam, and says so.
// A container-image function needs it too: `sam build` builds the image with
// Docker and `sam package` pushes it; `aws cloudformation package` can do
// neither.
void choose_build(App& app, Diagnostics& diags) {
  if (app.has_images()) {
    const BuildMethodUse& image = app.image_functions.front();
    if (!app.build_with_written) {
      app.build_with = BuildWith::sam;
      diags.note(image.pos, rule::build_with,
                 fmt::format("`{}` is a container image (`PackageType: Image`), which only `sam "
                             "build` builds and `sam package` pushes: the build script builds app "
                             "`{}` with sam, and pushes its images to each region's image "
                             "repository; write `build-with sam` in the app to say so",
                             image.resource, app.stack_name));
    } else if (app.build_with == BuildWith::package) {
      diags.error(image.pos, rule::build_with,
                  fmt::format("`{}` is a container image (`PackageType: Image`), which `aws "
                              "cloudformation package` cannot build or push: app `{}` needs "
                              "`build-with sam`",
                              image.resource, app.stack_name));
    }
    return;
  }
  if (app.build_methods.empty()) return;
  const BuildMethodUse& first = app.build_methods.front();
  if (!app.build_with_written) {
    app.build_with = BuildWith::sam;
    diags.note(first.pos, rule::build_with,
               fmt::format("`{}` sets `BuildMethod: {}`, which only `sam build` runs: the build "
                           "script builds app `{}` with `sam build`, then packages what it built; "
                           "write `build-with sam` in the app to say so",
                           first.resource, first.method, app.stack_name));
  } else if (app.build_with == BuildWith::package) {
    diags.warning(first.pos, rule::build_with,
                  fmt::format("`{}` sets `BuildMethod: {}`, but app `{}` says `build-with "
                              "package`: its sources are packaged unbuilt, as they are",
                              first.resource, first.method, app.stack_name));
  }
}

class TemplateCheck {
 public:
  TemplateCheck(App& app, std::string shown, std::string boundary, const Ir& ir, Diagnostics& diags)
      : app_(app),
        shown_(std::move(shown)),
        boundary_(std::move(boundary)),
        ir_(ir),
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
    const YAML::Node resources = child(root, "Resources");
    if (!yaml::is_map(resources) || resources.size() == 0) {
      diags_.error(app_.template_pos, rule::app_template,
                   fmt::format("app template `{}` is not a CloudFormation or SAM template: it "
                               "has no `Resources` map",
                               app_.template_in_spec));
      return;
    }
    diags_.add_source(shown_, std::move(text));
    // The readers expect any shape; should one still surprise yaml-cpp, the
    // template is reported where it broke, not the compiler.
    try {
      check(root, files);
    } catch (const YAML::Exception& e) {
      shape_error(e.mark, fmt::format("mrp cannot read this part of the template: {}", e.msg));
    }
  }

 private:
  void check(const YAML::Node& root, const FileReader& files) {
    const ShapeError error = [this](const YAML::Mark& m, const std::string& why) {
      shape_error(m, why);
    };
    check_sections(root, error);
    const auto resources = list_resources(child(root, "Resources"), error);
    const auto macros = macro_calls(root);
    note_transforms(root, macros);
    const YAML::Node globals = child(root, "Globals");
    const SamTemplate tpl = sam_template(root, resources);
    const bool sam = has_sam_transform(child(root, "Transform"));
    const bool global_boundary = present(child(child(globals, "Function"), "PermissionsBoundary"));
    note_included(root, files);
    for (const auto& r : resources) {
      note_types(r, sam, tpl);
      add_property_uses(r.node, globals, app_.property_uses);
      note_runtime(child(r.node, "Properties"));
      note_build_method(r, globals);
      note_image_function(r, globals);
      if (!sam) check_sam_type(r);
      if (!boundary_.empty()) check_boundary(r, global_boundary);
    }
    note_runtime(child(globals, "Function"));
    auto& uses = app_.property_uses;
    std::sort(uses.begin(), uses.end());
    uses.erase(std::unique(uses.begin(), uses.end()), uses.end());
    check_capabilities(needs_of(root, resources, macros, tpl, sam));
    check_template_parameters(app_, child(root, "Parameters"), ir_.regions, diags_);
    const TemplateView view{app_, root, resources, macros,
                            [this](const YAML::Mark& m) { return at(m); }};
    check_global_names(view, ir_.regions, diags_);
    // How the app is built decides what the code paths must be.
    choose_build(app_, diags_);
    check_build_toolchain(app_, ir_.build, files, diags_);
    check_code_paths(view, files, !ir_.build.install.empty() || !ir_.build.run.empty(), diags_);
  }

  // `Fn::Transform: {Name: AWS::Include, Parameters: {Location: FILE}}` as an
  // entry of `Resources` inserts the snippet's resources. A local FILE
  // (relative to the template; `aws cloudformation package` uploads it) is
  // read for their types and properties, which the deploy role needs; a
  // diagnostic about them points at the `Location`.
  void note_included(const YAML::Node& root, const FileReader& files) {
    const YAML::Node call = child(child(root, "Resources"), "Fn::Transform");
    if (text(child(call, "Name")) != "AWS::Include") return;
    const YAML::Node location = child(child(call, "Parameters"), "Location");
    const std::string where = text(location);
    if (where.empty() || where.find("://") != std::string::npos) return;
    const std::string path = (std::filesystem::path(app_.template_in_spec).parent_path() / where)
                                 .lexically_normal()
                                 .generic_string();
    const auto snippet_text = files.read(path);
    if (!snippet_text) return;  // the code-path check says so
    YAML::Node snippet;
    try {
      snippet = YAML::Load(*snippet_text);
    } catch (const YAML::Exception& e) {
      shape_error(location.Mark(),
                  fmt::format("the snippet `{}` it includes is not valid YAML: line {}, column "
                              "{}: {}",
                              path, e.mark.line + 1, e.mark.column + 1, e.msg));
      return;
    }
    const ShapeError error = [&](const YAML::Mark&, const std::string& why) {
      shape_error(location.Mark(), fmt::format("in the snippet `{}` it includes: {}", path, why));
    };
    if (!yaml::is_map(snippet)) {
      error(location.Mark(), "it must be a map of resources");
      return;
    }
    for (const auto& r : list_resources(snippet, error)) {
      const std::string& type = child(r.node, "Type").Scalar();
      auto& known = app_.resource_types;
      if (std::find(known.begin(), known.end(), type) == known.end()) {
        known.push_back(type);
        if (!resource_type_covered(type) && !spec_covers(type))
          warn_uncovered(type, location.Mark());
      }
      add_property_uses(r.node, YAML::Node(), app_.property_uses);
    }
  }

  void shape_error(const YAML::Mark& m, const std::string& why) {
    diags_.error(at(m), rule::app_template,
                 fmt::format("app template `{}`: {}", app_.template_in_spec, why));
  }

  // A `Transform` section, or `Fn::Transform` anywhere, has CloudFormation
  // run macros; the account's own are recorded for the deploy role.
  void note_transforms(const YAML::Node& root, const std::vector<MacroCall>& calls) {
    const bool section = present(child(root, "Transform"));
    for (const auto& c : calls)
      if (!is_aws_macro(c.name)) app_.macros.push_back(c.name);
    std::sort(app_.macros.begin(), app_.macros.end());
    app_.macros.erase(std::unique(app_.macros.begin(), app_.macros.end()), app_.macros.end());
    // CloudFormation runs an account's macro with the caller's rights (User
    // Guide, "Macro account scope and permissions"): the deploy role must
    // invoke its Lambda function, which the template does not name.
    for (const auto& c : calls)
      if (!is_aws_macro(c.name) && !spec_allows("lambda:InvokeFunction")) {
        diags_.warning(at(c.mark), rule::resource_permissions,
                       fmt::format("the template calls the macro `{}`, which CloudFormation runs "
                                   "with the deploy role: allow `lambda:InvokeFunction` on the "
                                   "macro's function in the app's `permissions`",
                                   c.name));
        break;
      }
    app_.template_has_transform = section || !calls.empty();
  }

  // The types the deploy role needs permissions for: the resource's own and
  // what SAM makes of it; and a warning for each type the permission table
  // does not cover and the spec does not cover either (a managed policy, or
  // an `allow` of the type's service).
  void note_types(const TemplateResource& r, bool sam, const SamTemplate& tpl) {
    const YAML::Node type_node = child(r.node, "Type");
    const std::string& type = type_node.Scalar();
    std::vector<std::string> types = {type};
    if (sam || type.rfind("AWS::Serverless::", 0) == 0) {
      SamExpansion made = sam_expansion(r.id, r.node, tpl);
      types.insert(types.end(), made.types.begin(), made.types.end());
    }
    for (const auto& t : types) {
      auto& known = app_.resource_types;
      if (std::find(known.begin(), known.end(), t) != known.end()) continue;
      known.push_back(t);
      if (!resource_type_covered(t) && !spec_covers(t)) warn_uncovered(t, type_node.Mark());
    }
  }

  // Whether the app's `permissions` grant an action `matches` accepts; admin,
  // a managed policy or `*` grant everything.
  template <typename Matches>
  bool spec_grants(Matches matches) const {
    const Permissions& p = app_.permissions;
    if (p.admin || !p.managed_policies.empty()) return true;
    for (const auto& s : p.statements)
      for (const auto& a : s.actions)
        if (a == "*" || matches(a)) return true;
    return false;
  }

  // `action` itself, or its whole service (`lambda:*`).
  bool spec_allows(std::string_view action) const {
    const std::string service_wildcard(action.substr(0, action.find(':') + 1));
    return spec_grants(
        [&](const std::string& a) { return a == action || a == service_wildcard + "*"; });
  }

  // An action of the type's service.
  bool spec_covers(const std::string& type) const {
    const std::string prefix = service_prefix(type) + ":";
    return spec_grants([&](const std::string& a) { return a.rfind(prefix, 0) == 0; });
  }

  // Where yaml-cpp's mark (0-based) is in the template, as diagnostics say it.
  SourcePos at(const YAML::Mark& m) const {
    if (m.line < 0 || m.column < 0 || m.pos < 0) return SourcePos{shown_, 1, 1, 0};
    return SourcePos{shown_, static_cast<std::size_t>(m.line + 1),
                     static_cast<std::size_t>(m.column + 1), static_cast<std::size_t>(m.pos)};
  }

  void warn_uncovered(const std::string& type, const YAML::Mark& m) {
    diags_.warning(
        at(m), rule::resource_permissions,
        fmt::format("the deploy role gets no permissions for `{}`: AWS's handler data does "
                    "not list the type; add what CloudFormation needs for it (`{}:` actions) to "
                    "the app's `permissions`",
                    type, service_prefix(type)));
  }

  // With a boundary, the deploy role may create only roles that carry it:
  // an IAM role, or the role SAM makes for a function or state machine.
  void check_boundary(const TemplateResource& r, bool global_boundary) {
    const YAML::Node type_node = child(r.node, "Type");
    const std::string& type = type_node.Scalar();
    const YAML::Node props = child(r.node, "Properties");
    const bool sam = std::find(sam_types_with_role.begin(), sam_types_with_role.end(), type) !=
                     sam_types_with_role.end();
    if (type != "AWS::IAM::Role" && !(sam && !present(child(props, "Role")))) return;
    if (present(child(props, "PermissionsBoundary"))) return;
    if (type == "AWS::Serverless::Function" && global_boundary) return;
    diags_.error(
        at(type_node.Mark()), rule::permissions_boundary,
        fmt::format("`{}` creates a role without a `PermissionsBoundary`; the deploy role may "
                    "only create roles within the spec's `boundary`: give it "
                    "`PermissionsBoundary: {}`",
                    r.id, boundary_));
  }

  void check_sam_type(const TemplateResource& r) {
    const YAML::Node type = child(r.node, "Type");
    if (type.Scalar().rfind("AWS::Serverless::", 0) != 0) return;
    diags_.error(at(type.Mark()), rule::sam_transform,
                 fmt::format("`{}` is an {}, which only the SAM transform makes into "
                             "CloudFormation: add `Transform: AWS::Serverless-2016-10-31` to the "
                             "template",
                             r.id, type.Scalar()));
  }

  // `Metadata: BuildMethod`, which `sam build` reads (functions and layers).
  void note_build_method(const TemplateResource& r, const YAML::Node& globals) {
    const YAML::Node method = child(child(r.node, "Metadata"), "BuildMethod");
    if (!yaml::is_literal(method)) return;
    const YAML::Node props = child(r.node, "Properties");
    YAML::Node code = child(props, "CodeUri");
    if (!present(code)) code = child(props, "ContentUri");
    if (!present(code)) code = child(child(globals, "Function"), "CodeUri");
    app_.build_methods.push_back({r.id, method.Scalar(), at(method.Mark()), yaml::literal(code)});
  }

  // A function whose code is a container image that `sam build` builds:
  // `PackageType: Image` on it (or for a SAM function in `Globals`) and a
  // `Metadata: Dockerfile`, which sam builds from. An image built elsewhere
  // (an ImageUri and no Dockerfile) is deployed as it is.
  void note_image_function(const TemplateResource& r, const YAML::Node& globals) {
    const std::string type = text(child(r.node, "Type"));
    if (type != "AWS::Serverless::Function" && type != "AWS::Lambda::Function") return;
    YAML::Node package_type = child(child(r.node, "Properties"), "PackageType");
    if (!present(package_type) && type == "AWS::Serverless::Function")
      package_type = child(child(globals, "Function"), "PackageType");
    if (text(package_type) != "Image") return;
    if (!present(child(child(r.node, "Metadata"), "Dockerfile"))) return;
    app_.image_functions.push_back({r.id, "Image", at(package_type.Mark()), ""});
  }

  void note_runtime(const YAML::Node& props) {
    const YAML::Node runtime = child(props, "Runtime");
    if (!yaml::is_literal(runtime)) return;
    app_.runtimes.push_back({runtime.Scalar(), at(runtime.Mark())});
  }

  void check_capabilities(const Needs& needs) {
    for (const auto& [cap, why] : missing_capabilities(needs, app_.capabilities))
      diags_.error(app_.capabilities_pos, rule::capabilities_needed,
                   fmt::format("app template `{}` needs {}: {}; add it to `capabilities`",
                               app_.template_in_spec, cap, why));
  }

  App& app_;
  std::string shown_;
  std::string boundary_;  ///< the spec's boundary, or "" for none
  const Ir& ir_;
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
    TemplateCheck(app, shown, boundary, ir, diags).run(files);
  }
  select_runtime_versions(ir, diags);
  // Docker runs only in a privileged build, which can reach the host: said
  // once, at the first image.
  const auto with_images =
      std::find_if(ir.apps.begin(), ir.apps.end(), [](const App& a) { return a.has_images(); });
  if (with_images == ir.apps.end()) return;
  const BuildMethodUse& image = with_images->image_functions.front();
  diags.warning(image.pos, rule::privileged_build,
                fmt::format("`{}` is a container image, which `sam build` builds with Docker: "
                            "the CodeBuild project runs in privileged mode, the only mode that "
                            "runs Docker, and a privileged build step can escape its container; "
                            "build only what the source repository's trusted branch holds",
                            image.resource));
}

Result<TemplateNeeds> template_needs(const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Failure{fmt::format("it is not valid YAML: line {}, column {}: {}", e.mark.line + 1,
                               e.mark.column + 1, e.msg)};
  }
  const YAML::Node resources_node = child(root, "Resources");
  if (!yaml::is_map(resources_node) || resources_node.size() == 0)
    return Failure{"it has no `Resources` map"};
  try {
    // Shape errors are lint's to report, once the spec names the template.
    const auto resources = list_resources(resources_node, [](const YAML::Mark&, const auto&) {});
    const SamTemplate tpl = sam_template(root, resources);
    const bool sam = has_sam_transform(child(root, "Transform"));
    TemplateNeeds out;
    const Needs needs = needs_of(root, resources, macro_calls(root), tpl, sam);
    for (auto& [cap, why] : missing_capabilities(needs, {})) out.capabilities.push_back(cap);
    std::sort(out.capabilities.begin(), out.capabilities.end());
    const YAML::Node declared = child(root, "Parameters");
    if (yaml::is_map(declared))
      for (const auto& d : declared)
        if (d.first.IsScalar() && d.second.IsMap() && !d.second["Default"])
          out.required_parameters.push_back(d.first.Scalar());
    for (const auto& r : resources) {
      const YAML::Node method = child(child(r.node, "Metadata"), "BuildMethod");
      if (yaml::is_literal(method)) out.sam_builds.push_back({r.id, method.Scalar()});
    }
    return out;
  } catch (const YAML::Exception& e) {
    return Failure{fmt::format("mrp cannot read it: {}", e.msg)};
  }
}

}  // namespace mrp
