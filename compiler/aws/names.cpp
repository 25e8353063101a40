#include "compiler/aws/names.h"

#include <cctype>

namespace mrp {

std::string region_pascal_case(std::string_view region) {
  std::string out;
  bool start = true;
  for (char c : region) {
    if (c == '-') {
      start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  return out;
}

namespace {

// `us-east-1`, `_WHAT` -> `US_EAST_1_WHAT`: a build variable of one region.
std::string region_env_var(std::string_view region, std::string_view suffix) {
  std::string out;
  for (char c : region)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out + std::string(suffix);
}

}  // namespace

std::string bucket_env_var(std::string_view region) {
  return region_env_var(region, "_ARTIFACT_BUCKET");
}

std::string image_repository_env_var(std::string_view region) {
  return region_env_var(region, "_IMAGE_REPOSITORY");
}

std::string image_repository_name(std::string_view pipeline) {
  std::string out;
  for (char c : pipeline)
    if (c != '-' || out.empty() || out.back() != '-') out += c;
  return out + "-images";
}

std::string image_repository_uri_sub(std::string_view pipeline, std::string_view region) {
  return std::string(account_id_sub) + ".dkr.ecr." + std::string(region) + ".${AWS::URLSuffix}/" +
         image_repository_name(pipeline);
}

std::string target_account_stack(std::string_view pipeline) {
  return std::string(pipeline) + "-target-account";
}

std::string deploy_action_name(std::string_view region) {
  return "DeployTo" + region_pascal_case(region);
}

std::string create_change_set_action_name(std::string_view region) {
  return "CreateChangeSet" + region_pascal_case(region);
}

std::string execute_change_set_action_name(std::string_view region) {
  return "ExecuteChangeSet" + region_pascal_case(region);
}

std::string packaged_template_name(std::string_view region) {
  return "packaged-template-" + std::string(region) + ".yaml";
}

std::string stack_pascal_case(std::string_view stack) { return region_pascal_case(stack); }

std::pair<std::string_view, std::string_view> around_account_id(std::string_view sub) {
  const std::size_t at = sub.find(account_id_sub);
  if (at == std::string_view::npos) return {sub, {}};
  return {sub.substr(0, at), sub.substr(at + account_id_sub.size())};
}

std::string with_account_id(std::string_view sub, std::string_view account) {
  if (sub.find(account_id_sub) == std::string_view::npos) return std::string(sub);
  const auto [before, after] = around_account_id(sub);
  return std::string(before) + std::string(account) + std::string(after);
}

std::string bucket_name_sub(std::string_view pipeline, std::string_view region_expr) {
  return std::string(pipeline) + "-" + std::string(account_id_sub) + "-" + std::string(region_expr);
}

std::size_t bucket_name_length(std::string_view pipeline, std::string_view region) {
  return pipeline.size() + 1 + account_id_length + 1 + region.size();
}

namespace {
constexpr std::string_view log_bucket_suffix = "-logs";
}

std::string log_bucket_name_sub(std::string_view pipeline, std::string_view region_expr) {
  return bucket_name_sub(pipeline, region_expr) + std::string(log_bucket_suffix);
}

std::size_t log_bucket_name_length(std::string_view pipeline, std::string_view region) {
  return bucket_name_length(pipeline, region) + log_bucket_suffix.size();
}

}  // namespace mrp
