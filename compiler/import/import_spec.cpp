// A layout read from hand-written files, as the spec that generates them: the
// directives in the order docs/language.md gives them, with a comment where
// the spec does something differently from the files it replaces.

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "compiler/import/layout.h"
#include "compiler/syntax/spec_writer.h"

namespace mrp {
namespace {

SpecNode blank_before(SpecNode node) {
  node.blank_line_before = true;
  return node;
}

SpecNode source_node(const ImportedSource& s) {
  std::vector<SpecNode> children;
  for (const auto& [directive, value] : s.settings)
    children.push_back(spec_line(directive, {value}));
  if (!s.token_secret.empty()) {
    std::vector<std::string> args = {s.token_secret};
    if (!s.token_key.empty()) args.push_back(s.token_key);
    children.push_back(spec_line("token-secret", args));
  }
  SpecNode node = blank_before(spec_block("source", {s.kind}, std::move(children)));
  if (s.kind == "github" && s.token_secret.empty() && s.token_parameter)
    node.comments = {
        "The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now "
        "reads it from",
        "GITHUB_TOKEN, or the template from Secrets Manager with `token-secret`."};
  return node;
}

std::vector<std::string> regions_of(const Layout& layout) {
  std::vector<std::string> out;
  for (const auto& d : layout.deploys)
    if (std::find(out.begin(), out.end(), d.region) == out.end()) out.push_back(d.region);
  return out;
}

SpecNode approval_node(const std::string& directive, const ImportedApproval& a) {
  std::vector<SpecNode> children;
  if (!a.topic.empty()) children.push_back(spec_line("topic", {a.topic}));
  if (!a.timeout.empty()) children.push_back(spec_line("timeout", {a.timeout}));
  if (children.empty()) return spec_line(directive);
  return spec_block(directive, {}, std::move(children));
}

SpecNode wave_node(const ImportedWave& w) {
  std::vector<SpecNode> children;
  if (w.approve) children.push_back(approval_node("approve", *w.approve));
  if (w.approve_change_sets)
    children.push_back(approval_node("approve-change-sets", *w.approve_change_sets));
  if (w.rollback) children.push_back(spec_line("on-failure", {"rollback"}));
  const std::vector<std::string> rest(std::next(w.regions.begin()), w.regions.end());
  children.push_back(spec_line(w.regions.front(), rest));
  return spec_block("wave", {w.name}, std::move(children));
}

// `regions A B`, or `regions { wave … }` when the stages need waves.
std::vector<SpecNode> regions_nodes(const Layout& layout, const std::vector<std::string>& regions) {
  std::vector<SpecNode> out;
  if (layout.waves.empty()) {
    out.push_back(blank_before(spec_line("regions", regions)));
  } else {
    std::vector<SpecNode> waves;
    for (const auto& w : layout.waves) waves.push_back(wave_node(w));
    out.push_back(blank_before(spec_block("regions", {}, std::move(waves))));
  }
  if (!layout.home_region.empty() && layout.home_region != regions.front() &&
      std::find(regions.begin(), regions.end(), layout.home_region) != regions.end())
    out.push_back(spec_line("home-region", {layout.home_region}));
  if (layout.change_set) out.push_back(blank_before(spec_line("deploy", {"change-set"})));
  return out;
}

std::vector<SpecNode> artifacts_nodes(const Layout& layout) {
  std::vector<SpecNode> children;
  if (layout.expire_days)
    children.push_back(spec_line("expire-after", {fmt::format("{}d", *layout.expire_days)}));
  if (layout.versioning_off) children.push_back(spec_line("versioning", {"off"}));
  if (children.empty()) return {};
  return {blank_before(spec_block("artifacts", {}, std::move(children)))};
}

std::vector<SpecNode> build_nodes(const Layout& layout) {
  std::vector<SpecNode> children;
  if (!layout.image.empty()) children.push_back(spec_line("image", {layout.image}));
  if (!layout.compute.empty()) children.push_back(spec_line("compute", {layout.compute}));
  for (const auto& c : layout.install) children.push_back(spec_line("install", {c}));
  for (const auto& c : layout.run) children.push_back(spec_line("run", {c}));
  for (const auto& [name, value] : layout.env) children.push_back(spec_line("env", {name, value}));
  if (children.empty()) return {};
  return {blank_before(spec_block("build", {}, std::move(children)))};
}

// Parameters every region sets alike are the app's; the rest are each region's.
std::vector<SpecNode> parameter_nodes(const std::vector<ImportedDeploy>& deploys) {
  std::vector<SpecNode> common, regional;
  const KeyValues& first = deploys.front().parameters;
  const auto everywhere = [&](const std::pair<std::string, std::string>& kv) {
    return std::all_of(deploys.begin(), deploys.end(), [&](const ImportedDeploy& d) {
      return std::find(d.parameters.begin(), d.parameters.end(), kv) != d.parameters.end();
    });
  };
  for (const auto& kv : first)
    if (everywhere(kv)) common.push_back(spec_line("parameter", {kv.first, kv.second}));
  for (const auto& d : deploys) {
    std::vector<SpecNode> own;
    for (const auto& kv : d.parameters)
      if (!everywhere(kv)) own.push_back(spec_line("parameter", {kv.first, kv.second}));
    if (!own.empty()) regional.push_back(spec_block("region", {d.region}, std::move(own)));
  }
  common.insert(common.end(), regional.begin(), regional.end());
  return common;
}

SpecNode app_node(const Layout& layout, const std::string& folder) {
  const ImportedDeploy& first = layout.deploys.front();
  const std::string path =
      (std::filesystem::path(folder) / layout.template_path).lexically_normal().generic_string();
  std::vector<SpecNode> children = {spec_line("template", {path})};
  if (!first.capabilities.empty())
    children.push_back(spec_line("capabilities", first.capabilities));
  for (auto& p : parameter_nodes(layout.deploys)) children.push_back(std::move(p));
  SpecNode node = blank_before(spec_block("app", {first.stack}, std::move(children)));
  if (layout.admin_roles)
    node.comments = {
        "The hand-written roles had AdministratorAccess; mrp derives least-privilege "
        "roles from",
        "the template. Add `permissions` here for what a deploy needs beyond them."};
  return node;
}

}  // namespace

std::string import_spec(const Layout& layout, const std::string& folder) {
  std::vector<SpecNode> body;
  if (!layout.description.empty()) body.push_back(spec_line("description", {layout.description}));
  body.push_back(source_node(layout.source));
  const auto regions = regions_of(layout);
  for (auto& n : regions_nodes(layout, regions)) body.push_back(std::move(n));
  for (auto& n : artifacts_nodes(layout)) body.push_back(std::move(n));
  for (auto& n : build_nodes(layout)) body.push_back(std::move(n));
  body.push_back(app_node(layout, folder));
  if (!body.empty()) body.front().blank_line_before = false;
  const std::string scripts = layout.build_script.empty() ? "" : " and " + layout.build_script;
  const std::vector<std::string> header = {
      fmt::format("Imported by `mrp import` from the hand-written deployment-pipeline/{}.",
                  scripts),
      "`mrp build` now writes those files from this spec."};
  return write_spec(header, {spec_block("pipeline", {layout.pipeline_name}, std::move(body))});
}

}  // namespace mrp
