#include "compiler/emit/pipeline_parts.h"

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
  y.key("AssumeRolePolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq();
  y.map().kv("Effect", "Allow").key("Principal").map().kv("Service", service).end_map();
  y.kv("Action", "sts:AssumeRole").end_map().end_seq().end_map();
}

}  // namespace mrp::pipeline_parts
