#pragma once
// The plan `mrp build` and `mrp check` print: what the new files deploy
// differently from the record of the last build (deployment-pipeline/deployed.json),
// in deploy terms, and the commands to run, in order.

#include <string>
#include <vector>

#include <filesystem>

#include "compiler/cli/check.h"
#include "compiler/emit/emit.h"
#include "compiler/ir/ir.h"

namespace mrp {

struct PlanChange {
  enum class What { add, update, retire } what;
  DeployedStack stack;
};

struct PlanStep {
  std::string command;  ///< what to run, or to do
  std::string why;
};

struct Plan {
  bool first = false;  ///< there was no record: every stack is listed as new
  std::vector<PlanChange> changes;
  std::vector<PlanStep> steps;
  bool empty() const { return changes.empty(); }
};

/// Where the commands are: the output folder as the user named it, the spec
/// and the options a rebuild takes.
struct PlanPaths {
  std::string output_dir;
  std::string build_command;  ///< `mrp build SPEC [-o DIR]`
};

/// Which of the stacks deploy.sh deploys change their template: the files on
/// disk, before they are written, against the new ones.
struct TemplateChanges {
  bool pipeline = false;
  bool buckets = false;
};

/// From `mrp check`'s comparison of every file with the disk.
TemplateChanges template_changes(const Ir& ir, const std::vector<FileCheck>& checks);
/// Before `mrp build` writes: the two templates of `outputs` against the files
/// under `dir`; when they cannot be read, both count as changed (writing them
/// will say why).
TemplateChanges template_changes(const Ir& ir, const Outputs& outputs,
                                 const std::filesystem::path& dir);

Plan make_plan(const Ir& ir, const TemplateChanges& changed, const PlanPaths& paths);

/// For people: "" when nothing deploy-relevant changes.
std::string render_plan_text(const Plan& plan, const std::string& record_path);
/// For CI: always an object, `changes` empty when nothing changes.
std::string render_plan_json(const Plan& plan, const std::string& record_path);

}  // namespace mrp
