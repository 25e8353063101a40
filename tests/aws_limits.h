#pragma once
// What AWS would refuse in the generated files, checked on the files
// themselves: names and values against the limits of S3, CloudFormation and
// CodePipeline, and that every YAML file loads.

#include <string>

#include "compiler/emit/emit.h"

namespace mrp::test {

/// `text` (the file `path`) loads with yaml-cpp as a map, and uses no tags but
/// the CloudFormation short forms the emitters write (!Ref, !Sub, !GetAtt).
void check_yaml_loads(const std::string& path, const std::string& text);

/// Every stack, bucket, stage and action name, configuration value, run order,
/// timeout and size in `outputs` is one AWS accepts; bucket names are checked
/// with a 12-digit account id filled in, in every region the pipeline uses.
void check_aws_limits(const Outputs& outputs);

/// Why S3 would refuse `name` as a bucket name, or "" when it would not.
std::string bucket_name_problem(const std::string& name);

}  // namespace mrp::test
