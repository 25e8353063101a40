#pragma once
// One emitter per generated file: each is a pure function of the IR.

#include <map>
#include <string>

#include "compiler/ir/ir.h"

namespace mrp {

std::string emit_artifact_buckets(const Ir& ir);
std::string emit_pipeline(const Ir& ir);
std::string emit_buildspec(const Ir& ir);
std::string emit_build_script(const Ir& ir);
std::string emit_create_buckets_script(const Ir& ir);
std::string emit_create_pipeline_script(const Ir& ir);
std::string emit_update_pipeline_script(const Ir& ir);
std::string emit_teardown_script(const Ir& ir);
std::string emit_retire_script(const Ir& ir);
std::string emit_record(const Ir& ir);
/// deployment-pipeline/target-account-ID.yaml: the roles target account `a`
/// holds for the pipeline.
std::string emit_target_account(const Ir& ir, const TargetAccount& a);
/// deploy-target-account.sh ACCOUNT PROFILE: deploys one target account's
/// bootstrap stack with that account's credentials.
std::string emit_target_account_script(const Ir& ir);
/// deploy.sh: the artifact-bucket stacks, then the pipeline stack, created or updated.
std::string emit_deploy_script(const Ir& ir);

/// Generated files by path relative to the output folder, in path order.
using Outputs = std::map<std::string, std::string>;

/// Every generated file, rendered in memory.
Outputs emit_all(const Ir& ir);

}  // namespace mrp
