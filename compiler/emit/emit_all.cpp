#include "compiler/emit/emit.h"

namespace mrp {

Outputs emit_all(const Ir& ir) {
  const OutputPaths& p = ir.paths;
  Outputs out{
      {p.artifact_buckets_template, emit_artifact_buckets(ir)},
      {p.pipeline_template, emit_pipeline(ir)},
      {p.buildspec, emit_buildspec(ir)},
      {p.build_script, emit_build_script(ir)},
      {p.create_buckets_script, emit_create_buckets_script(ir)},
      {p.create_pipeline_script, emit_create_pipeline_script(ir)},
      {p.update_pipeline_script, emit_update_pipeline_script(ir)},
      {p.teardown_script, emit_teardown_script(ir)},
      {p.deploy_script, emit_deploy_script(ir)},
      {p.retire_script, emit_retire_script(ir)},
      {p.record, emit_record(ir)},
  };
  for (const auto& a : ir.target_accounts) out.emplace(a.template_path, emit_target_account(ir, a));
  if (ir.cross_account()) out.emplace(p.target_account_script, emit_target_account_script(ir));
  return out;
}

}  // namespace mrp
