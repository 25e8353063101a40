#include "tests/ir_text.h"

#include <fmt/format.h>

namespace mrp::test {
namespace {

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += fmt::format(" {:?}", i);
  return out;
}

std::string approval(const std::optional<Approval>& a) {
  if (!a) return "none";
  return fmt::format("topic {:?} timeout {}", a->topic_arn,
                     a->timeout_minutes ? fmt::to_string(*a->timeout_minutes) : "default");
}

void source(const Source& s, std::string& out) {
  out += fmt::format(
      "source {} owner {:?} repo {:?} branch {:?} connection {:?} bucket {:?} key {:?}\n",
      static_cast<int>(s.kind), s.owner, s.repo, s.branch, s.connection_arn, s.bucket, s.key);
  for (const auto& t : s.triggers) {
    out += fmt::format("  trigger {} events{}\n", static_cast<int>(t.event),
                       list(t.pull_request_events));
    for (const auto& [name, f] : {std::pair{"branches", &t.branches}, std::pair{"tags", &t.tags},
                                  std::pair{"file-paths", &t.file_paths}})
      out += fmt::format("    {} +{} -{}\n", name, list(f->includes), list(f->excludes));
  }
}

void app(const App& a, std::string& out) {
  out += fmt::format("app {:?} template {:?} in spec {:?} step {}\n", a.stack_name, a.template_path,
                     a.template_in_spec, a.step);
  out += fmt::format("  capabilities{}\n  after{}\n", list(a.capabilities), list(a.after));
  out += fmt::format("  build-with {} {:?} {:?}\n", static_cast<int>(a.build_with), a.sam_build_dir,
                     a.built_template);
  for (const auto& p : a.parameters)
    out += fmt::format("  parameter {:?} = {:?} region {:?}\n", p.key, p.value, p.region);
  for (const auto& [region, json] : a.parameter_overrides)
    out += fmt::format("  overrides {} {:?}\n", region, json);
  for (const auto& r : a.regions)
    out += fmt::format("  {} {} {} {} {}\n", r.packaged_template, r.packaged_path, r.deploy_action,
                       r.create_change_set_action, r.execute_change_set_action);
}

}  // namespace

std::string ir_text(const Ir& ir) {
  std::string out = fmt::format(
      "spec {:?}\npipeline {:?} stack {:?} bucket stack {:?}\ndescription {:?}\n", ir.spec_path,
      ir.pipeline_name, ir.pipeline_stack, ir.artifact_bucket_stack, ir.description);
  source(ir.source, out);
  out += fmt::format("deploy {} change set {:?} execution {}\n", static_cast<int>(ir.deploy_mode),
                     ir.change_set_name,
                     ir.execution_mode ? static_cast<int>(*ir.execution_mode) : -1);
  for (const auto& r : ir.regions)
    out += fmt::format("region {} {} {}\n", r.code, r.bucket_name_sub, r.bucket_env_var);
  for (const auto& w : ir.waves) {
    out += fmt::format("wave {:?} stage {:?} rollback {} regions{}\n", w.name, w.stage_name,
                       w.rollback, list([&] {
                         std::vector<std::string> codes;
                         for (std::size_t i : w.regions) codes.push_back(ir.regions[i].code);
                         return codes;
                       }()));
    out += fmt::format("  approve {}\n  approve change sets {}\n", approval(w.approval),
                       approval(w.change_set_approval));
  }
  out += fmt::format("artifacts expire {} versioning {} bucket {}\n",
                     ir.artifacts.expire_after_days ? *ir.artifacts.expire_after_days : 0,
                     ir.artifacts.versioning, ir.artifacts.bucket_name_sub);
  out += fmt::format("build image {:?} compute {}\n  install{}\n  run{}\n", ir.build.image,
                     ir.build.compute_type, list(ir.build.install), list(ir.build.run));
  for (const auto& e : ir.build.env) out += fmt::format("  env {} = {:?}\n", e.name, e.value);
  for (const auto& a : ir.apps) app(a, out);
  const OutputPaths& p = ir.paths;
  out += fmt::format("paths{}\n", list({p.artifact_buckets_template, p.pipeline_template,
                                        p.buildspec, p.build_script, p.create_buckets_script,
                                        p.create_pipeline_script, p.update_pipeline_script,
                                        p.teardown_script, p.deploy_script, p.packaged_dir}));
  return out;
}

}  // namespace mrp::test
