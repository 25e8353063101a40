// Reading a whole 2018 layout: the files in the order their values depend on
// each other, then the checks across them (regions, stacks, capabilities).

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/import/readers.h"

namespace mrp::import {
namespace {

constexpr const char* folder = "deployment-pipeline/";

// A problem with a whole file: line 0, so that it is shown without a line.
SourcePos whole(const std::string& file) { return SourcePos{file, 0, 0, 0}; }

void read_stack_scripts(const FileReader& files, Layout& layout) {
  for (const char* name : {"create-pipeline.sh", "update-pipeline.sh"}) {
    const std::string path = std::string(folder) + name;
    if (const auto text = files.read(path)) {
      read_stack_script(*text, layout);
    }
  }
}

void read_build(const FileReader& files, Layout& layout, Diagnostics& diags) {
  const std::string path = layout.buildspec_path.empty() ? std::string(folder) + "buildspec.yaml"
                                                         : layout.buildspec_path;
  if (const auto spec = load_yaml(files, path, false, diags)) {
    read_buildspec(*spec, files, layout);
  } else if (!diags.has_errors()) {
    diags.warning(whole(path), rule::import,
                  fmt::format("there is no {}, so the spec has no build commands", path));
  }
  if (layout.build_script.empty()) return;
  const auto script = files.read(layout.build_script);
  if (!script) return;
  diags.add_source(layout.build_script, *script);
  read_build_script(*script, layout.build_script, layout, diags);
}

// Deploy actions without a Region deploy where the pipeline is: the scripts'
// region, or else the one artifact store no deploy action names.
std::string pipeline_region(const Layout& layout) {
  if (!layout.home_region.empty()) return layout.home_region;
  std::vector<std::string> unnamed;
  for (const auto& store : layout.store_regions)
    if (std::none_of(layout.deploys.begin(), layout.deploys.end(),
                     [&](const ImportedDeploy& d) { return d.region == store; }))
      unnamed.push_back(store);
  return unnamed.size() == 1 ? unnamed.front() : "";
}

void settle_regions(Layout& layout, Diagnostics& diags) {
  const std::string home = pipeline_region(layout);
  for (auto& d : layout.deploys) {
    if (!d.region.empty()) continue;
    d.region = home;
    if (home.empty())
      diags.error(d.pos, rule::import,
                  "this deploy action has no Region, and neither the scripts (`--region`) nor "
                  "ArtifactStores say which region the pipeline is in");
  }
}

std::vector<std::string> deploy_regions(const Layout& layout) {
  std::vector<std::string> out;
  for (const auto& d : layout.deploys)
    if (std::find(out.begin(), out.end(), d.region) == out.end()) out.push_back(d.region);
  return out;
}

void check_stores(const Layout& layout, Diagnostics& diags) {
  if (layout.store_regions.empty()) return;
  const auto regions = deploy_regions(layout);
  const std::set<std::string> stores(layout.store_regions.begin(), layout.store_regions.end());
  if (stores == std::set<std::string>(regions.begin(), regions.end())) return;
  diags.warning(layout.stores_pos, rule::import,
                fmt::format("ArtifactStores has the regions {} but the pipeline deploys to {}: "
                            "mrp keeps one artifact store in each region it deploys to",
                            fmt::join(layout.store_regions, " "), fmt::join(regions, " ")));
}

// One app: the deploy actions of the first stack; others are reported.
void check_stacks(Layout& layout, Diagnostics& diags) {
  if (layout.deploys.empty()) return;
  const ImportedDeploy first = layout.deploys.front();
  std::vector<ImportedDeploy> kept;
  for (auto& d : layout.deploys) {
    if (d.stack != first.stack) {
      diags.warning(d.pos, rule::import,
                    fmt::format("the deploy of stack `{}` is not carried over: mrp import makes "
                                "one app, `{}`; add another `app` block for it",
                                d.stack, first.stack));
      continue;
    }
    if (d.capabilities != first.capabilities)
      diags.warning(
          d.pos, rule::import,
          fmt::format("this deploy action's capabilities ({}) differ from the first's; "
                      "the app keeps the first's ({})",
                      fmt::join(d.capabilities, " "), fmt::join(first.capabilities, " ")));
    kept.push_back(std::move(d));
  }
  layout.deploys = std::move(kept);
}

void check_complete(const Layout& layout, const std::string& pipeline_file, Diagnostics& diags) {
  const auto missing = [&](const std::string& what) {
    diags.error(whole(pipeline_file), rule::import,
                fmt::format("{} has {}, which a spec needs", pipeline_file, what));
  };
  if (layout.source.kind.empty())
    missing("no source action mrp knows (GitHub, CodeStarSourceConnection, CodeCommit, S3)");
  if (layout.deploys.empty()) missing("no CloudFormation deploy action");
  if (layout.pipeline_name.empty())
    missing("no pipeline name (and deployment-pipeline/create-pipeline.sh no --stack-name)");
}

}  // namespace
}  // namespace mrp::import

namespace mrp {

std::optional<Layout> read_layout(const FileReader& files, Diagnostics& diags) {
  using namespace import;
  Layout layout;
  read_stack_scripts(files, layout);
  const std::string pipeline_file = std::string(folder) + "pipeline.yaml";
  const auto pipeline = load_yaml(files, pipeline_file, true, diags);
  if (!pipeline || !read_pipeline(*pipeline, layout)) return std::nullopt;
  if (const auto buckets =
          load_yaml(files, std::string(folder) + "artifact-buckets.yaml", false, diags))
    read_artifact_buckets(*buckets, layout);
  read_build(files, layout, diags);
  if (layout.template_path.empty()) layout.template_path = "template.yaml";
  check_complete(layout, pipeline_file, diags);
  settle_regions(layout, diags);
  check_stacks(layout, diags);
  check_stores(layout, diags);
  if (diags.has_errors()) return std::nullopt;
  return layout;
}

std::string render_findings(const Diagnostics& diags, const std::string& folder) {
  std::string out;
  for (Diagnostic d : diags.all()) {
    const std::string* source = diags.source_of(d.pos.file);
    d.pos.file = (std::filesystem::path(folder) / d.pos.file).lexically_normal().generic_string();
    if (d.pos.line == 0 || source == nullptr)
      out += fmt::format("{}: {}: {} [{}]\n", d.pos.file, severity_name(d.severity), d.message,
                         d.rule);
    else
      out += render(d, *source);
  }
  return out;
}

std::optional<std::string> import_layout(const FileReader& files, Diagnostics& diags,
                                         const std::string& folder) {
  const auto layout = read_layout(files, diags);
  if (!layout) return std::nullopt;
  return import_spec(*layout, folder);
}

}  // namespace mrp
