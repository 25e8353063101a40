#pragma once
// Derived names (docs/language.md §3). Lowering calls these once per region and stores the
// results in the IR; nothing else should build these strings.

#include <string>
#include <string_view>
#include <utility>

namespace mrp {

/// `us-east-1` -> `UsEast1`.
std::string region_pascal_case(std::string_view region);
/// `us-east-1` -> `US_EAST_1_ARTIFACT_BUCKET`.
std::string bucket_env_var(std::string_view region);
/// `us-east-1` -> `US_EAST_1_IMAGE_REPOSITORY`: the build's variable for the
/// region's image repository URI.
std::string image_repository_env_var(std::string_view region);
/// The ECR repository of `pipeline`'s container images, the same name in every
/// region: `NAME-images`, with runs of `-` made one (ECR's naming rule).
std::string image_repository_name(std::string_view pipeline);
/// Its URI in `region`, for `!Sub`:
/// `${AWS::AccountId}.dkr.ecr.REGION.${AWS::URLSuffix}/NAME-images`.
std::string image_repository_uri_sub(std::string_view pipeline, std::string_view region);
/// `orders-api` -> `orders-api-target-account`: the stack that holds a target
/// account's roles for the pipeline.
std::string target_account_stack(std::string_view pipeline);
/// `us-east-1` -> `DeployToUsEast1`.
std::string deploy_action_name(std::string_view region);
/// `us-east-1` -> `CreateChangeSetUsEast1` and `ExecuteChangeSetUsEast1`.
std::string create_change_set_action_name(std::string_view region);
std::string execute_change_set_action_name(std::string_view region);
/// `us-east-1` -> `packaged-template-us-east-1.yaml`.
std::string packaged_template_name(std::string_view region);
/// `orders-api` -> `OrdersApi`: a stack name in action names.
std::string stack_pascal_case(std::string_view stack);
/// How a derived name holds the account id, for CloudFormation's `!Sub`.
inline constexpr std::string_view account_id_sub = "${AWS::AccountId}";
/// The text of `sub` before and after its `${AWS::AccountId}`: what scripts
/// join around the account they look up. All of `sub` comes first when it
/// holds no account id.
std::pair<std::string_view, std::string_view> around_account_id(std::string_view sub);
/// `sub` with its `${AWS::AccountId}` written as `account`.
std::string with_account_id(std::string_view sub, std::string_view account);

/// The bucket of `pipeline` in `region_expr`, with the account as `${AWS::AccountId}`
/// so that CloudFormation's `!Sub` fills it in.
std::string bucket_name_sub(std::string_view pipeline, std::string_view region_expr);
/// The longest a bucket name gets, with a 12-digit account id.
std::size_t bucket_name_length(std::string_view pipeline, std::string_view region);
/// The bucket that receives the access logs of `pipeline`'s artifact bucket
/// in `region_expr` (`artifacts { access-logs }`): the artifact bucket's name
/// and `-logs`.
std::string log_bucket_name_sub(std::string_view pipeline, std::string_view region_expr);
/// The longest a log bucket name gets, with a 12-digit account id.
std::size_t log_bucket_name_length(std::string_view pipeline, std::string_view region);

inline constexpr std::size_t max_bucket_name_length = 63;  // S3 bucket naming rules
inline constexpr std::size_t account_id_length = 12;

}  // namespace mrp
