#include "compiler/lower/lower_parameters.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"

namespace mrp {

const DirectiveShape parameter_shape = {.name = "parameter",
                                        .min_args = 2,
                                        .max_args = 2,
                                        .repeats = true,
                                        .arg_hint = "the parameter's name and value"};
const DirectiveShape region_parameters_shape = {.name = "region",
                                                .min_args = 1,
                                                .max_args = 1,
                                                .block = BlockRule::required,
                                                .repeats = true,
                                                .arg_hint = "a region of the spec"};

namespace {

const std::vector<DirectiveShape> region_shapes = {parameter_shape};

class ParameterLowering {
 public:
  ParameterLowering(const Ir& ir, App& app, Diagnostics& diags)
      : ir_(ir), app_(app), diags_(diags) {}

  void run(const Children& c) {
    if (const auto it = c.find("parameter"); it != c.end())
      for (const Directive* d : it->second) add(*d, "");
    if (const auto it = c.find("region"); it != c.end())
      for (const Directive* d : it->second) region(*d);
    for (const auto& r : ir_.regions) overrides(r.code);
  }

 private:
  void region(const Directive& d) {
    const Argument& code = d.args[0];
    const bool known = std::any_of(ir_.regions.begin(), ir_.regions.end(),
                                   [&](const TargetRegion& r) { return r.code == code.value; });
    if (!known) {
      diags_.error(code.pos, rule::parameter,
                   fmt::format("`{}` is not one of the spec's regions; its parameters would "
                               "never be used",
                               code.value));
      return;
    }
    const Children c = check_children(d, d.children, region_shapes, diags_);
    if (const auto it = c.find("parameter"); it != c.end())
      for (const Directive* p : it->second) add(*p, code.value);
  }

  void add(const Directive& d, const std::string& region) {
    const Argument& key = d.args[0];
    // CloudFormation parameter names: 1 to 255 letters and digits.
    if (!text::is_parameter_name(key.value)) {
      diags_.error(key.pos, rule::parameter,
                   fmt::format("parameter name `{}` must be 1 to 255 letters and digits, as "
                               "CloudFormation names parameters",
                               key.value));
      return;
    }
    for (const auto& p : app_.parameters) {
      if (p.key == key.value && p.region == region) {
        diags_.error(key.pos, rule::parameter,
                     fmt::format("parameter `{}` is set twice{}; the first is on line {}",
                                 key.value, region.empty() ? "" : " for " + region, p.pos.line));
        return;
      }
    }
    app_.parameters.push_back({key.value, d.args[1].value, region, key.pos});
  }

  // The app's parameters with the region's overrides, in the order first set:
  // a stable JSON object, so the same spec gives the same bytes.
  void overrides(const std::string& region) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& p : app_.parameters)
      if (p.region.empty() || p.region == region) json[p.key] = p.value;
    if (!json.empty()) app_.parameter_overrides[region] = json.dump();
  }

  const Ir& ir_;
  App& app_;
  Diagnostics& diags_;
};

}  // namespace

void lower_parameters(const Children& app_children, const Ir& ir, App& app, Diagnostics& diags) {
  ParameterLowering(ir, app, diags).run(app_children);
}

}  // namespace mrp
