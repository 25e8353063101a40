#pragma once
// Pieces of the pipeline template that its emitters share: the small YAML
// shapes CodePipeline uses everywhere, and the logical ids.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/aws/logical_ids.h"
#include "compiler/emit/nag_suppressions.h"
#include "compiler/emit/yaml_out.h"
#include "compiler/ir/ir.h"

namespace mrp::pipeline_parts {

using namespace logical_ids;

/// `ActionTypeId: {Category, Owner, Provider, Version: "1"}`.
void action_type(YamlWriter& y, std::string_view category, std::string_view owner,
                 std::string_view provider);

/// `KEY: [{Name: NAME}]`, the shape of input and output artifacts.
void artifacts(YamlWriter& y, std::string_view key, std::string_view name);

/// An IAM role that `service` may assume, without policies, with the cdk-nag
/// suppressions of its findings; the caller adds the policies and closes the
/// Properties and the resource maps.
void open_service_role(YamlWriter& y, std::string_view id, std::string_view service,
                       const std::vector<NagSuppression>& suppressions = {});

/// One action of a deploy stage, as pipeline.yaml lists it. The template and
/// `mrp graph` both read this list, so that the picture is the template.
struct StageAction {
  enum class Kind {
    approval,             ///< the wave's manual approval
    change_set_approval,  ///< the review between creating and executing change sets
    deploy,               ///< CREATE_UPDATE
    create_change_set,    ///< CHANGE_SET_REPLACE
    execute_change_set,   ///< CHANGE_SET_EXECUTE
  } kind = Kind::deploy;
  std::string name;
  int run_order = 1;
  const Approval* approval = nullptr;  ///< approvals
  const App* app = nullptr;            ///< stack actions
  std::size_t region = 0;              ///< stack actions: index into Ir::regions
  bool is_approval() const { return app == nullptr; }
  /// The CloudFormation ActionMode of a stack action.
  std::string_view mode() const;
};

/// The actions of wave `w`'s stage in template order. Run orders: the wave's
/// approval, then each step of apps in turn; in change-set mode a step's
/// change sets are created, optionally reviewed, then executed. Within a stage
/// every region has the same run orders, so the regions of a wave deploy in
/// parallel.
std::vector<StageAction> stage_actions(const Ir& ir, const Wave& w);

}  // namespace mrp::pipeline_parts
