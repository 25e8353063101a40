#include "compiler/lower/lower_apps.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "compiler/aws/names.h"
#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"
#include "compiler/lower/lower_parameters.h"
#include "compiler/lower/lower_permissions.h"
#include "compiler/lower/schema.h"

namespace mrp {
namespace {

// The names of what `stack` deploys in `region`; `only_app` keeps the names of
// a one-app spec as they always were.
void derive_app_region_names(std::string_view stack, std::string_view region, bool only_app,
                             std::string_view packaged_dir, AppRegion& out) {
  const std::string r = region_pascal_case(region);
  if (only_app) {
    out.packaged_template = packaged_template_name(region);
    out.deploy_action = deploy_action_name(region);
    out.create_change_set_action = create_change_set_action_name(region);
    out.execute_change_set_action = execute_change_set_action_name(region);
  } else {
    const std::string s = stack_pascal_case(stack);
    out.packaged_template = "packaged-" + std::string(stack) + "-" + std::string(region) + ".yaml";
    out.deploy_action = "Deploy" + s + "To" + r;
    out.create_change_set_action = "CreateChangeSet" + s + r;
    out.execute_change_set_action = "ExecuteChangeSet" + s + r;
  }
  out.packaged_path = std::string(packaged_dir) + "/" + out.packaged_template;
}

using B = BlockRule;

const std::vector<DirectiveShape> app_shapes = {
    {.name = "template",
     .min_args = 1,
     .max_args = 1,
     .required = true,
     .arg_hint = "the app's template path"},
    {.name = "capabilities",
     .min_args = 1,
     .max_args = any_count,
     .arg_hint = "CloudFormation capabilities"},
    {.name = "after",
     .min_args = 1,
     .max_args = any_count,
     .arg_hint = "the stacks this app deploys after"},
    {.name = "build-with", .min_args = 1, .max_args = 1, .arg_hint = "sam or package"},
    parameter_shape,
    region_parameters_shape,
    permissions_shape};

const std::vector<std::string_view> known_capabilities = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                                                          "CAPABILITY_AUTO_EXPAND"};

class AppLowering {
 public:
  AppLowering(const LowerOptions& options, Ir& ir, Diagnostics& diags)
      : options_(options), ir_(ir), diags_(diags) {}

  void run(const std::vector<const Directive*>& apps) {
    for (const Directive* d : apps) lower_app(*d);
    order();
    names();
  }

 private:
  void lower_app(const Directive& d) {
    App app;
    const Argument& stack = d.args[0];
    // CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128.
    if (!text::is_stack_name(stack.value)) {
      diags_.error(stack.pos, rule::stack_name,
                   fmt::format("stack name `{}` must start with a letter and hold only "
                               "letters, digits and hyphens, at most 128 characters",
                               stack.value));
    }
    if (stack.value == ir_.pipeline_stack || stack.value == ir_.artifact_bucket_stack) {
      diags_.error(stack.pos, rule::stack_name,
                   fmt::format("app stack `{}` has the name of one of the pipeline's own "
                               "stacks; deploying it would replace that stack",
                               stack.value));
    }
    for (const auto& other : ir_.apps) {
      if (other.stack_name == stack.value)
        diags_.error(stack.pos, rule::stack_name,
                     fmt::format("app stack `{}` is declared twice; the first is on line {}",
                                 stack.value, other.pos.line));
    }
    app.stack_name = stack.value;
    app.pos = stack.pos;
    app.capabilities_pos = d.pos;
    const Children c = check_children(d, d.children, app_shapes, diags_);
    if (const auto it = c.find("template"); it != c.end()) {
      const Argument& t = it->second.front()->args[0];
      app.template_in_spec = t.value;
      app.template_path = relative_to_output(t.value);
      app.template_pos = t.pos;
    }
    if (const auto it = c.find("capabilities"); it != c.end()) {
      const Directive& caps = *it->second.front();
      app.capabilities_pos = caps.pos;
      for (const auto& a : caps.args) add_capability(a, app);
    }
    if (const auto it = c.find("after"); it != c.end()) {
      app.after_pos = it->second.front()->pos;
      for (const auto& a : it->second.front()->args) app.after.push_back(a.value);
    }
    if (const auto it = c.find("build-with"); it != c.end())
      lower_build_with(*it->second.front(), app);
    lower_parameters(c, ir_, app, diags_);
    if (const auto it = c.find("permissions"); it != c.end())
      lower_permissions(*it->second.front(), app.permissions, diags_);
    ir_.apps.push_back(std::move(app));
  }

  void lower_build_with(const Directive& d, App& app) {
    const Argument& tool = d.args[0];
    static const std::vector<std::string_view> tools = {"sam", "package"};
    if (tool.value == "sam") {
      app.build_with = BuildWith::sam;
    } else if (tool.value == "package") {
      app.build_with = BuildWith::package;
    } else {
      diags_.error(tool.pos, rule::build_with,
                   fmt::format("unknown `build-with {}`: `sam` runs `sam build` before packaging, "
                               "`package` packages the template's sources as they are{}",
                               tool.value, suggestion(tool.value, tools)));
      return;
    }
    app.build_with_written = true;
  }

  void add_capability(const Argument& a, App& app) {
    if (std::find(known_capabilities.begin(), known_capabilities.end(), a.value) ==
        known_capabilities.end()) {
      diags_.error(a.pos, rule::capability,
                   fmt::format("unknown capability `{}`{}", a.value,
                               suggestion(a.value, known_capabilities)));
      return;
    }
    auto& caps = app.capabilities;
    if (std::find(caps.begin(), caps.end(), a.value) != caps.end()) {
      diags_.error(a.pos, rule::capability,
                   fmt::format("capability `{}` is listed twice", a.value));
      return;
    }
    caps.push_back(a.value);
  }

  // Steps within a region: an app without `after` follows the app declared
  // before it; one with `after` follows exactly the stacks it names.
  void order() {
    std::vector<int> state(ir_.apps.size(), 0);  // 0 new, 1 in progress, 2 done
    for (std::size_t i = 0; i < ir_.apps.size(); ++i) step_of(i, state);
  }

  int step_of(std::size_t i, std::vector<int>& state) {
    App& app = ir_.apps[i];
    if (state[i] == 2) return app.step;
    if (state[i] == 1) {
      diags_.error(
          app.after_pos, rule::app_order,
          fmt::format("app `{}` is, through `after`, deployed after itself", app.stack_name));
      return 0;
    }
    state[i] = 1;
    int step = 0;
    if (app.after.empty()) {
      if (i > 0) step = step_of(i - 1, state) + 1;
    } else {
      for (const auto& name : app.after) {
        const auto it = std::find_if(ir_.apps.begin(), ir_.apps.end(),
                                     [&](const App& a) { return a.stack_name == name; });
        if (it == ir_.apps.end()) {
          std::vector<std::string_view> stacks;
          for (const auto& a : ir_.apps) stacks.push_back(a.stack_name);
          diags_.error(app.after_pos, rule::app_order,
                       fmt::format("`after {}`: no app has that stack name{}", name,
                                   suggestion(name, stacks)));
          continue;
        }
        step = std::max(step, step_of(static_cast<std::size_t>(it - ir_.apps.begin()), state) + 1);
      }
    }
    app.step = step;
    state[i] = 2;
    return step;
  }

  void names() {
    const bool only_app = ir_.apps.size() == 1;
    for (auto& app : ir_.apps) {
      app.regions.resize(ir_.regions.size());
      for (std::size_t r = 0; r < ir_.regions.size(); ++r)
        derive_app_region_names(app.stack_name, ir_.regions[r].code, only_app,
                                ir_.paths.packaged_dir, app.regions[r]);
      // A folder per app: `sam build` empties its build folder first.
      app.sam_build_dir = ir_.paths.sam_build_dir + "/" + app.stack_name;
      app.built_template = app.sam_build_dir + "/template.yaml";
    }
  }

  std::string relative_to_output(const std::string& path) const {
    if (options_.spec_dir.empty() || path.empty() || path.front() == '/') return path;
    return (std::filesystem::path(options_.spec_dir) / path).lexically_normal().generic_string();
  }

  const LowerOptions& options_;
  Ir& ir_;
  Diagnostics& diags_;
};

}  // namespace

void lower_apps(const std::vector<const Directive*>& apps, const LowerOptions& options, Ir& ir,
                Diagnostics& diags) {
  AppLowering(options, ir, diags).run(apps);
}

}  // namespace mrp
