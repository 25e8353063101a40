#include "compiler/emit.h"
#include "compiler/yaml_out.h"

#include <fmt/format.h>

namespace mrp {

// Keeps the logical id of the hand-written example, so that a stack created from
// it updates in place instead of replacing (and failing to re-create) its bucket.
constexpr std::string_view bucket_logical_id = "CodePipelineBuildArtifactBucket";

std::string emit_artifact_buckets(const Ir& ir) {
  YamlWriter y;
  y.map();
  y.kv("AWSTemplateFormatVersion", "2010-09-09");
  y.kv("Description",
       fmt::format("Artifact bucket of the {} pipeline, one stack per region", ir.pipeline_name));
  y.key("Resources").map();
  y.key(bucket_logical_id).map();
  y.kv("Type", "AWS::S3::Bucket");
  y.key("Properties").map();
  y.key("BucketName").fn("Sub", ir.artifacts.bucket_name_sub);
  if (ir.artifacts.expire_after_days) {
    y.key("LifecycleConfiguration").map().key("Rules").seq();
    y.map().kv("Id", "ExpireArtifacts");
    y.key("ExpirationInDays").num(*ir.artifacts.expire_after_days);
    y.kv("Status", "Enabled").end_map();
    y.end_seq().end_map();
  }
  y.key("VersioningConfiguration").map();
  y.kv("Status", ir.artifacts.versioning ? "Enabled" : "Suspended").end_map();
  y.end_map().end_map().end_map();  // Properties, bucket, Resources
  y.key("Outputs").map().key("ArtifactBucketName").map();
  y.kv("Description", "The pipeline's artifact bucket in this region");
  y.key("Value").fn("Ref", bucket_logical_id).end_map().end_map();
  y.end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
