#include "compiler/cli/plan.h"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/names.h"
#include "compiler/emit/emit_record.h"

namespace mrp {
namespace {

using Kind = DeployedStack::Kind;
using What = PlanChange::What;

bool stale(const std::vector<FileCheck>& checks, const std::string& path) {
  for (const auto& c : checks)
    if (c.path == path) return c.state != FileCheck::State::up_to_date;
  return false;
}

std::string in_dir(const std::string& dir, const std::string& path) {
  return (std::filesystem::path(dir) / path).lexically_normal().generic_string();
}

std::string stack_text(const DeployedStack& d) {
  std::string text = fmt::format("{} {} in {}", kind_label(d.kind), d.stack, d.region);
  if (!d.account.empty()) text += " of account " + d.account;
  for (std::size_t i = 0; i < d.buckets.size(); ++i)
    text += (i == 0 ? ", with bucket " : " and ") + with_account_id(d.buckets[i], "ACCOUNT");
  return text;
}

std::vector<PlanStep> steps_for(const Ir& ir, const std::vector<PlanChange>& changes,
                                const PlanPaths& paths) {
  bool deploy = false, apps = false, retire = false;
  for (const auto& c : changes) {
    if (c.what == What::retire)
      retire = true;
    else if (c.stack.kind == Kind::app)
      apps = true;
    else
      deploy = true;
  }
  std::vector<PlanStep> steps;
  if (deploy)
    steps.push_back({in_dir(paths.output_dir, ir.paths.deploy_script),
                     fmt::format("creates or updates the bucket stacks, {}then the pipeline stack "
                                 "in {}",
                                 ir.cross_account() ? "the target accounts' stacks, " : "",
                                 ir.home_region().code)});
  if (deploy || apps || retire)
    steps.push_back({"commit and push the generated files",
                     apps ? "the pipeline's next run builds and deploys the app stacks"
                          : "the pipeline builds from what the repository holds"});
  if (retire) {
    steps.push_back({in_dir(paths.output_dir, ir.paths.retire_script),
                     "deletes what is marked -, once the pipeline no longer deploys there"});
    steps.push_back({paths.build_command + " --forget-retired",
                     "once retire.sh has finished, so that the record forgets it; commit"});
  }
  return steps;
}

}  // namespace

TemplateChanges template_changes(const Ir& ir, const std::vector<FileCheck>& checks) {
  return {stale(checks, ir.paths.pipeline_template),
          stale(checks, ir.paths.artifact_buckets_template)};
}

TemplateChanges template_changes(const Ir& ir, const Outputs& outputs,
                                 const std::filesystem::path& dir) {
  Outputs templates;
  for (const auto* path : {&ir.paths.pipeline_template, &ir.paths.artifact_buckets_template})
    templates.emplace(*path, outputs.at(*path));
  const auto checks = check_outputs(templates, dir);
  return checks.ok() ? template_changes(ir, checks.value()) : TemplateChanges{true, true};
}

Plan make_plan(const Ir& ir, const TemplateChanges& changed, const PlanPaths& paths) {
  Plan plan;
  plan.first = !ir.previous;
  const std::vector<DeployedStack> none;
  const auto& before = ir.previous ? ir.previous->deploys : none;
  const bool pipeline_changed = changed.pipeline;
  const bool buckets_changed = changed.buckets;
  for (const auto& d : ir.record.deploys) {
    if (!holds_stack(before, d))
      plan.changes.push_back({What::add, d});
    else if ((d.kind == Kind::pipeline && pipeline_changed) ||
             (d.kind == Kind::buckets && buckets_changed))
      plan.changes.push_back({What::update, d});
  }
  // In the order retire.sh deletes them: app stacks, target accounts'
  // stacks, buckets, pipeline.
  for (Kind kind : {Kind::app, Kind::target, Kind::buckets, Kind::pipeline})
    for (const auto& d : before)
      if (d.kind == kind && !holds_stack(ir.record.deploys, d))
        plan.changes.push_back({What::retire, d});
  plan.steps = steps_for(ir, plan.changes, paths);
  return plan;
}

std::string render_plan_text(const Plan& plan, const std::string& record_path) {
  if (plan.empty()) return "";
  std::string out =
      plan.first ? fmt::format("mrp: {} did not exist; it now records what these files deploy:\n",
                               record_path)
                 : fmt::format("mrp: what changes in the account, against {}:\n", record_path);
  for (const auto& c : plan.changes) {
    const std::string text = stack_text(c.stack);
    switch (c.what) {
      case What::add:
        out += fmt::format("  + {}{}\n", text,
                           c.stack.kind == Kind::app ? " (the pipeline deploys it)" : "");
        break;
      case What::update:
        out += fmt::format("  ~ {} (its template changes)\n", text);
        break;
      case What::retire:
        out += fmt::format("  - {} (retire.sh deletes it)\n", text);
        break;
    }
  }
  out += "mrp: then, in order:\n";
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    out += fmt::format("  {}. {}: {}\n", i + 1, plan.steps[i].command, plan.steps[i].why);
  return out;
}

std::string render_plan_json(const Plan& plan, const std::string& record_path) {
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const auto& c : plan.changes) {
    nlohmann::ordered_json j = {{"change", c.what == What::add      ? "add"
                                           : c.what == What::update ? "update"
                                                                    : "retire"}};
    j.update(deployed_stack_json(c.stack));
    changes.push_back(std::move(j));
  }
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& s : plan.steps) steps.push_back({{"run", s.command}, {"why", s.why}});
  const nlohmann::ordered_json out = {
      {"record", record_path}, {"first", plan.first}, {"changes", changes}, {"steps", steps}};
  return out.dump();
}

}  // namespace mrp
