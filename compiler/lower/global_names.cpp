// global-names: names that one region's stack takes for every region.
//
// mrp deploys one template to several regions of one account. Most resource
// names are regional, but some are not: IAM is global to the account, S3
// bucket names are shared by every account, and CloudWatch dashboards and
// CloudFront's policies and functions live in no region. A name that comes
// out the same in every region is then taken by the first region's stack, and
// the second region's deploy fails ("already exists"). This is an error: the
// pipeline cannot succeed. A resource under a `Condition` is left alone, since
// a condition can create it in one region only.
//
// Left out, because a per-region name is not their fix: IAM OIDC providers
// (their URL is the identity), service-linked roles (one per service and
// account), Route 53 records in a shared zone (a routing policy decides),
// edge-optimized API Gateway domain names (the domain is the name).

#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/lower/template_checks.h"
#include "compiler/yaml/yaml_nodes.h"

namespace mrp {
namespace {

using yaml::child;
using yaml::present;
using yaml::text;

struct GlobalName {
  std::string_view type;
  std::string_view property;  ///< a dotted path under `Properties`
  std::string_view scope;     ///< why one name serves every region
};

constexpr std::string_view iam = "IAM names are unique in an account, across all its regions";
constexpr std::string_view cloudfront = "CloudFront is global: its names are unique in an account";

// clang-format off
constexpr std::array<GlobalName, 20> global_names = {{
    {"AWS::IAM::Role", "RoleName", iam},
    {"AWS::IAM::ManagedPolicy", "ManagedPolicyName", iam},
    {"AWS::IAM::User", "UserName", iam},
    {"AWS::IAM::Group", "GroupName", iam},
    {"AWS::IAM::InstanceProfile", "InstanceProfileName", iam},
    {"AWS::IAM::SAMLProvider", "Name", iam},
    {"AWS::IAM::ServerCertificate", "ServerCertificateName", iam},
    {"AWS::IAM::VirtualMFADevice", "VirtualMfaDeviceName", iam},
    {"AWS::S3::Bucket", "BucketName", "S3 bucket names are unique across all of AWS"},
    {"AWS::S3::MultiRegionAccessPoint", "Name", "Multi-Region Access Point names are unique in an account"},
    {"AWS::CloudWatch::Dashboard", "DashboardName", "CloudWatch dashboards are global to an account"},
    {"AWS::CloudFront::CachePolicy", "CachePolicyConfig.Name", cloudfront},
    {"AWS::CloudFront::OriginRequestPolicy", "OriginRequestPolicyConfig.Name", cloudfront},
    {"AWS::CloudFront::ResponseHeadersPolicy", "ResponseHeadersPolicyConfig.Name", cloudfront},
    {"AWS::CloudFront::OriginAccessControl", "OriginAccessControlConfig.Name", cloudfront},
    {"AWS::CloudFront::KeyGroup", "KeyGroupConfig.Name", cloudfront},
    {"AWS::CloudFront::PublicKey", "PublicKeyConfig.Name", cloudfront},
    {"AWS::CloudFront::Function", "Name", cloudfront},
    {"AWS::CloudFront::RealtimeLogConfig", "Name", cloudfront},
    {"AWS::CloudFront::KeyValueStore", "Name", cloudfront},
}};
// clang-format on

// Pseudo parameters that are the same in every region of one account, for
// one stack name (mrp gives an app's stack the same name in every region).
constexpr std::array<std::string_view, 4> same_everywhere = {"AWS::AccountId", "AWS::StackName",
                                                             "AWS::Partition", "AWS::URLSuffix"};
constexpr std::array<std::string_view, 3> differ_by_region = {"AWS::Region", "AWS::StackId",
                                                              "AWS::NotificationARNs"};

// Whether a value comes out the same in every region: for certain, or it
// differs (or may: a resource's name or attribute, a condition).
enum class Sameness { same, differs, unknown };

Sameness both(Sameness a, Sameness b) {
  if (a == Sameness::differs || b == Sameness::differs) return Sameness::differs;
  if (a == Sameness::unknown || b == Sameness::unknown) return Sameness::unknown;
  return Sameness::same;
}

class RegionSameness {
 public:
  RegionSameness(const TemplateView& t, const std::vector<TargetRegion>& regions)
      : t_(t), regions_(regions) {}

  Sameness of(const YAML::Node& value) const {
    if (yaml::is_literal(value)) return Sameness::same;
    const auto f = yaml::intrinsic(value);
    if (!f) return Sameness::unknown;
    if (f->name == "Ref") return name(text(f->arg));
    if (f->name == "Fn::Sub") {
      if (yaml::is_scalar(f->arg)) return sub(f->arg.Scalar(), YAML::Node());
      if (yaml::is_list(f->arg) && f->arg.size() == 2 && yaml::is_scalar(f->arg[0]))
        return sub(f->arg[0].Scalar(), f->arg[1]);
      return Sameness::unknown;
    }
    if (f->name == "Fn::Join" && yaml::is_list(f->arg) && f->arg.size() == 2 &&
        yaml::is_list(f->arg[1])) {
      Sameness s = of(f->arg[0]);
      for (const auto& part : f->arg[1]) s = both(s, of(part));
      return s;
    }
    return Sameness::unknown;
  }

 private:
  // The variables of a `!Sub` string: its own, then names as `Ref` takes them.
  // `${!x}` is the text `${x}`; `${Res.Attr}` is a resource's attribute.
  Sameness sub(const std::string& s, const YAML::Node& vars) const {
    Sameness out = Sameness::same;
    for (auto at = s.find("${"); at != std::string::npos; at = s.find("${", at + 2)) {
      const auto end = s.find('}', at);
      if (end == std::string::npos) break;
      const std::string var = s.substr(at + 2, end - at - 2);
      if (var.empty() || var[0] == '!') continue;
      if (present(child(vars, var)))
        out = both(out, of(child(vars, var)));
      else
        out = both(out, var.find('.') == std::string::npos ? name(var) : Sameness::unknown);
    }
    return out;
  }

  // `Ref NAME`: a pseudo parameter, a template parameter, or a resource.
  Sameness name(const std::string& n) const {
    for (auto p : same_everywhere)
      if (n == p) return Sameness::same;
    for (auto p : differ_by_region)
      if (n == p) return Sameness::differs;
    const YAML::Node declared = child(child(t_.root, "Parameters"), n);
    if (!yaml::is_map(declared)) return Sameness::unknown;
    return parameter(n, child(declared, "Default"));
  }

  // A template parameter is the same in every region when the spec gives it
  // one value for all of them, or leaves its Default to all.
  Sameness parameter(const std::string& n, const YAML::Node& fallback) const {
    std::optional<std::string> first;
    for (const auto& region : regions_) {
      const auto value = value_in(n, region.code, fallback);
      if (!value) return Sameness::unknown;
      if (first && *first != *value) return Sameness::differs;
      first = value;
    }
    return Sameness::same;
  }

  // What the deploy action passes for `n` in `region`: the region's override,
  // the app's value, or the template's Default.
  std::optional<std::string> value_in(const std::string& n, const std::string& region,
                                      const YAML::Node& fallback) const {
    std::optional<std::string> app_value;
    std::optional<std::string> region_value;
    for (const auto& p : t_.app.parameters) {
      if (p.key != n) continue;
      if (p.region == region) region_value = p.value;
      if (p.region.empty()) app_value = p.value;
    }
    if (region_value) return region_value;
    if (app_value) return app_value;
    if (yaml::is_scalar(fallback)) return fallback.Scalar();
    return std::nullopt;
  }

  const TemplateView& t_;
  const std::vector<TargetRegion>& regions_;
};

// How the name reads in the message: the text, or the function that makes it.
std::string shown(const YAML::Node& value) {
  if (yaml::is_literal(value)) return value.Scalar();
  const auto f = yaml::intrinsic(value);
  if (!f) return "";
  // fmt, not `"!Sub " + …`: GCC 12 at -O2 warns wrongly (-Wrestrict) about
  // a literal plus a std::string.
  if (f->name == "Fn::Sub")
    return fmt::format("!Sub {}", yaml::is_list(f->arg) ? text(f->arg[0]) : text(f->arg));
  if (f->name == "Ref") return fmt::format("!Ref {}", text(f->arg));
  return fmt::format("!{}", f->name.substr(4));
}

}  // namespace

void check_global_names(const TemplateView& t, const std::vector<TargetRegion>& regions,
                        Diagnostics& diags) {
  if (regions.size() < 2) return;
  const RegionSameness sameness(t, regions);
  for (const auto& r : t.resources) {
    if (present(child(r.node, "Condition"))) continue;
    const std::string type = text(child(r.node, "Type"));
    for (const auto& g : global_names) {
      if (g.type != type) continue;
      const YAML::Node value = yaml::at_path(child(r.node, "Properties"), g.property);
      if (!present(value) || sameness.of(value) != Sameness::same) continue;
      diags.error(t.at(value.Mark()), rule::global_names,
                  fmt::format("`{}` ({}) sets `{}` to `{}`, the same name in each of the {} "
                              "regions, and {}: the deploy to the second region fails; make the "
                              "name differ by region, with `!Sub \"${{AWS::StackName}}-${{AWS::"
                              "Region}}\"` or a `parameter` the spec sets for each region",
                              r.id, type, g.property, shown(value), regions.size(), g.scope));
    }
  }
}

}  // namespace mrp
