#include "compiler/emit/pipeline_parts.h"

#include <fmt/format.h>

#include "compiler/emit/iam_out.h"

namespace mrp::pipeline_parts {

void action_type(YamlWriter& y, std::string_view category, std::string_view owner,
                 std::string_view provider) {
  y.key("ActionTypeId").map().kv("Category", category).kv("Owner", owner);
  y.kv("Provider", provider).kv("Version", "1").end_map();
}

void artifacts(YamlWriter& y, std::string_view key, std::string_view name) {
  y.key(key).seq().map().kv("Name", name).end_map().end_seq();
}

void open_service_role(YamlWriter& y, std::string_view id, std::string_view service,
                       const std::vector<NagSuppression>& suppressions) {
  y.key(id).map().kv("Type", "AWS::IAM::Role");
  nag_metadata(y, suppressions);
  y.key("Properties").map();
  trust_policy(y, {service, "", ""});
}

std::string_view StageAction::mode() const {
  switch (kind) {
    case Kind::create_change_set:
      return "CHANGE_SET_REPLACE";
    case Kind::execute_change_set:
      return "CHANGE_SET_EXECUTE";
    case Kind::deploy:
      return "CREATE_UPDATE";
    case Kind::approval:
    case Kind::change_set_approval:
      break;
  }
  return "";
}

namespace {

// Adds the actions of `kind` for the apps of `step` in the regions of `w`.
void add_step(std::vector<StageAction>& out, const Ir& ir, const Wave& w, int step,
              StageAction::Kind kind, int run_order) {
  for (const auto& app : ir.apps) {
    if (app.step != step) continue;
    for (std::size_t r : w.regions) {
      const AppRegion& names = app.regions[r];
      StageAction a;
      a.kind = kind;
      a.name = kind == StageAction::Kind::deploy              ? names.deploy_action
               : kind == StageAction::Kind::create_change_set ? names.create_change_set_action
                                                              : names.execute_change_set_action;
      a.run_order = run_order;
      a.app = &app;
      a.region = r;
      out.push_back(std::move(a));
    }
  }
}

}  // namespace

std::vector<StageAction> stage_actions(const Ir& ir, const Wave& w) {
  std::vector<StageAction> out;
  int run_order = 1;
  if (w.approval) {
    StageAction a;
    a.kind = StageAction::Kind::approval;
    a.name = "Approve";
    a.run_order = run_order++;
    a.approval = &*w.approval;
    out.push_back(std::move(a));
  }
  for (int step = 0; step < ir.app_steps(); ++step) {
    if (ir.deploy_mode == DeployMode::direct) {
      add_step(out, ir, w, step, StageAction::Kind::deploy, run_order++);
      continue;
    }
    add_step(out, ir, w, step, StageAction::Kind::create_change_set, run_order++);
    if (w.change_set_approval) {
      StageAction a;
      a.kind = StageAction::Kind::change_set_approval;
      a.name = step == 0 ? "ApproveChangeSets" : fmt::format("ApproveChangeSets{}", step + 1);
      a.run_order = run_order++;
      a.approval = &*w.change_set_approval;
      out.push_back(std::move(a));
    }
    add_step(out, ir, w, step, StageAction::Kind::execute_change_set, run_order++);
  }
  return out;
}

}  // namespace mrp::pipeline_parts
