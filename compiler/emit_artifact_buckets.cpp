#include "compiler/emit.h"
#include "compiler/yaml_out.h"

#include <fmt/format.h>

namespace mrp {
namespace {

// Keeps the logical id of the hand-written example, so that a stack created from
// it updates in place instead of replacing (and failing to re-create) its bucket.
constexpr std::string_view bucket_logical_id = "CodePipelineBuildArtifactBucket";
constexpr std::string_view policy_logical_id = "CodePipelineBuildArtifactBucketPolicy";

// Artifacts are never public and always encrypted at rest (S3 User Guide,
// "Blocking public access" and "Setting default server-side encryption").
void hardening(YamlWriter& y) {
  y.key("BucketEncryption").map().key("ServerSideEncryptionConfiguration").seq().map();
  y.key("ServerSideEncryptionByDefault").map().kv("SSEAlgorithm", "AES256").end_map();
  y.end_map().end_seq().end_map();
  y.key("PublicAccessBlockConfiguration").map();
  for (const char* setting :
       {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"})
    y.key(setting).boolean(true);
  y.end_map();
}

// The spec's expiry applies to current objects and to the versions they
// replace, so a versioned bucket does not keep old artifacts for ever.
void lifecycle(YamlWriter& y, const Ir& ir) {
  if (!ir.artifacts.expire_after_days) return;
  const int days = *ir.artifacts.expire_after_days;
  y.key("LifecycleConfiguration").map().key("Rules").seq();
  y.map().kv("Id", "ExpireArtifacts");
  y.key("ExpirationInDays").num(days);
  if (ir.artifacts.versioning)
    y.key("NoncurrentVersionExpiration").map().key("NoncurrentDays").num(days).end_map();
  y.kv("Status", "Enabled").end_map();
  y.end_seq().end_map();
}

// Requests over plain HTTP are refused (S3 User Guide, "Security best practices":
// aws:SecureTransport).
void tls_only_policy(YamlWriter& y) {
  y.key(policy_logical_id).map().kv("Type", "AWS::S3::BucketPolicy").key("Properties").map();
  y.key("Bucket").fn("Ref", bucket_logical_id);
  y.key("PolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq().map();
  y.kv("Sid", "DenyInsecureTransport").kv("Effect", "Deny").kv("Principal", "*");
  y.kv("Action", "s3:*").key("Resource").seq();
  y.fn("GetAtt", fmt::format("{}.Arn", bucket_logical_id));
  y.fn("Sub", fmt::format("${{{}.Arn}}/*", bucket_logical_id));
  y.end_seq();
  y.key("Condition").map().key("Bool").map().kv("aws:SecureTransport", "false").end_map();
  y.end_map();
  y.end_map().end_seq().end_map();
  y.end_map().end_map();
}

}  // namespace

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
  hardening(y);
  lifecycle(y, ir);
  y.key("VersioningConfiguration").map();
  y.kv("Status", ir.artifacts.versioning ? "Enabled" : "Suspended").end_map();
  y.end_map().end_map();  // Properties, bucket
  tls_only_policy(y);
  y.end_map();  // Resources
  y.key("Outputs").map().key("ArtifactBucketName").map();
  y.kv("Description", "The pipeline's artifact bucket in this region");
  y.key("Value").fn("Ref", bucket_logical_id).end_map().end_map();
  y.end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
