#pragma once
// Which resource properties an app template sets, as `TYPE.Property`: what a
// resource's handlers must call besides creating it follows from them (a
// function's VpcConfig has Lambda check the subnets, a KmsKeyArn has it use
// the key), so the deploy role is derived from them as from the types.

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mrp {

/// `TYPE.Property` for each top-level property that `resource` (a map with
/// `Type` and `Properties`) sets, appended to `out`. A SAM resource's
/// properties are recorded under the type the transform passes them to
/// (AWS::Serverless::Function's `Tracing` as AWS::Lambda::Function's
/// `TracingConfig`), with those of its type's section of `globals`, which
/// count for every resource of the type.
void add_property_uses(const YAML::Node& resource, const YAML::Node& globals,
                       std::vector<std::string>& out);

}  // namespace mrp
