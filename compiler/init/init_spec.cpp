#include "compiler/init/init_spec.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "compiler/aws/regions.h"
#include "compiler/lower/app_template.h"
#include "compiler/lower/placeholders.h"

namespace mrp {
namespace {

// S3 keeps these prefixes for itself (docs/language.md, `pipeline NAME`).
bool reserved_prefix(const std::string& name) {
  for (const char* prefix : {"xn--", "sthree-", "amzn-s3-demo-"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

// Lower case, letters, digits and single hyphens, no hyphen at either end.
std::string hyphenated(const std::string& text) {
  std::string out;
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 && c < 0x80)
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string trimmed_to(std::string name, std::size_t limit) {
  if (name.size() > limit) name.resize(limit);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name;
}

struct AppGuess {
  FoundTemplate found;
  TemplateNeeds needs;
  std::string stack;
};

SpecNode app_node(const AppGuess& app, const std::string& folder_name) {
  std::vector<SpecNode> children = {spec_line("template", {app.found.path})};
  if (!app.needs.capabilities.empty()) {
    children.push_back(spec_line("capabilities", app.needs.capabilities));
    children.back().trailing = "what the template needs, as mrp lint reads it";
  }
  for (const auto& key : app.needs.required_parameters)
    children.push_back(spec_line("parameter", {key, "<value-of-" + key + ">"}));
  if (!app.needs.required_parameters.empty())
    children[children.size() - app.needs.required_parameters.size()].comments = {
        "The template declares these parameters without a Default: give each a value."};
  if (!app.needs.sam_builds.empty()) {
    SpecNode with = spec_line("build-with", {"sam"});
    with.comments = {fmt::format(
        "{} sets `BuildMethod: {}`, which only `sam build` runs: the build script builds this "
        "app with sam, so no build step repeats it.",
        app.needs.sam_builds.front().resource, app.needs.sam_builds.front().method)};
    children.push_back(std::move(with));
  }
  SpecNode node = spec_block("app", {app.stack}, std::move(children));
  node.comments = {fmt::format("The stack name is guessed from {}.", folder_name)};
  node.blank_line_before = true;
  return node;
}

// The stack of the template at the top is NAME-app; one in a subfolder is
// NAME-FOLDER. Both fit CloudFormation's 128 characters.
std::string stack_name(const std::string& pipeline, const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().generic_string();
  const std::string suffix = folder.empty() ? "app" : hyphenated(folder);
  return trimmed_to(pipeline + "-" + (suffix.empty() ? "app" : suffix), 128);
}

SpecNode regions_node(const RepoSurvey& survey, const std::vector<std::string>& given) {
  if (!given.empty()) {
    SpecNode node = spec_line("regions", given);
    node.comments = {"From --regions; the first is the home region, where the pipeline lives."};
    return node;
  }
  if (survey.region && is_commercial_region(survey.region->code)) {
    SpecNode node = spec_line("regions", {survey.region->code});
    node.comments = {fmt::format(
        "Guessed from {}: the home region, where the pipeline lives; add the other regions to "
        "deploy to after it.",
        survey.region->origin)};
    return node;
  }
  SpecNode node = spec_line("regions", {"<region>"});
  node.comments = {survey.region ? fmt::format("{} names {}, which is not a commercial AWS region: "
                                               "put the regions to deploy to here.",
                                               survey.region->origin, survey.region->code)
                                 : std::string("No region given (--regions) or configured "
                                               "(AWS_REGION, aws configure): put the regions to "
                                               "deploy to here.")};
  return node;
}

void collect_placeholders(const std::vector<SpecNode>& nodes, std::vector<std::string>& out) {
  for (const auto& n : nodes) {
    for (const auto& a : n.args)
      if (is_placeholder(Argument{Argument::Kind::word, a, {}})) out.push_back(a);
    collect_placeholders(n.children, out);
  }
}

// Comment lines of at most `width` characters, broken between words; a line
// break already in `text` stays.
std::string wrapped(const std::string& text, std::size_t width) {
  std::string out, line;
  const auto flush = [&] {
    out += (out.empty() ? "" : "\n") + line;
    line.clear();
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find_first_of(" \n", start), text.size());
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) flush();
    line += (line.empty() ? "" : " ") + word;
    if (end < text.size() && text[end] == '\n') flush();
    start = end + 1;
  }
  flush();
  return out;
}

// Comments fit in 80 columns at their depth (two spaces a level, and `# `).
void wrap_comments(std::vector<SpecNode>& nodes, std::size_t depth) {
  for (auto& n : nodes) {
    for (auto& c : n.comments) c = wrapped(c, 78 - 2 * depth);
    wrap_comments(n.children, depth + 1);
  }
}

// Each template the survey found, with what it needs and its stack name; a
// failure names the first that is not a template.
Result<std::vector<AppGuess>> read_apps(const RepoSurvey& survey, const std::string& pipeline) {
  std::vector<AppGuess> apps;
  for (const auto& t : survey.templates) {
    auto needs = template_needs(t.text);
    if (!needs.ok())
      return Failure{
          fmt::format("{} is not a CloudFormation or SAM template: {}", t.path, needs.error())};
    // Folders `app` and `App`, or `a_b` and `a-b`, would give one stack name.
    std::string stack = stack_name(pipeline, t.path);
    for (int n = 2;
         std::any_of(apps.begin(), apps.end(), [&](const AppGuess& a) { return a.stack == stack; });
         ++n)
      stack = stack_name(pipeline, t.path) + "-" + std::to_string(n);
    apps.push_back({t, std::move(needs.value()), stack});
  }
  return apps;
}

}  // namespace

std::string pipeline_name_from(const std::string& name) {
  std::string out = hyphenated(name);
  if (out.empty() || std::isalpha(static_cast<unsigned char>(out.front())) == 0 ||
      reserved_prefix(out))
    out = "pipeline-" + out;
  return trimmed_to(out, 35);
}

Result<InitSpec> init_spec(const RepoSurvey& survey, const std::vector<std::string>& regions) {
  if (survey.templates.empty())
    return Failure{fmt::format(
        "no app template: mrp init looks for {} in the folder and in each folder one level down",
        "template.yaml, template.yml or template.json")};
  const std::string pipeline = pipeline_name_from(survey.name);
  auto read = read_apps(survey, pipeline);
  if (!read.ok()) return Failure{read.error()};
  const std::vector<AppGuess>& apps = read.value();
  std::vector<std::string> sam_methods;
  bool all_sam = true;
  for (const auto& app : apps) {
    for (const auto& b : app.needs.sam_builds) sam_methods.push_back(b.method);
    all_sam = all_sam && !app.needs.sam_builds.empty();
  }
  std::vector<SpecNode> body = {guess_source(survey.remote_url, survey.branch, survey),
                                regions_node(survey, regions)};
  body[1].blank_line_before = true;
  for (auto& b : guess_build(survey.manifests, sam_methods, all_sam)) body.push_back(std::move(b));
  for (const auto& app : apps) {
    const std::string folder = std::filesystem::path(app.found.path).parent_path().string();
    body.push_back(app_node(app, folder.empty() ? "the folder's name, " + survey.name
                                                : "the template's folder, " + folder));
  }
  SpecNode top = spec_block("pipeline", {pipeline}, std::move(body));
  top.comments = {
      fmt::format("The pipeline name is guessed from the folder's name, {}.", survey.name)};
  std::vector<SpecNode> spec = {std::move(top)};
  wrap_comments(spec, 0);
  InitSpec out;
  collect_placeholders(spec, out.placeholders);
  out.text = write_spec(
      {"Written by mrp init from what this repository holds; each guess says so.",
       "Check them, replace each <placeholder> (mrp lint points at them), then", "run mrp build."},
      spec);
  return out;
}

}  // namespace mrp
