#include "compiler/emit/emit.h"
#include "compiler/emit/nag_suppressions.h"
#include "compiler/emit/yaml_out.h"

#include <fmt/format.h>

namespace mrp {
namespace {

// Keeps the logical id of the hand-written example, so that a stack created from
// it updates in place instead of replacing (and failing to re-create) its bucket.
constexpr std::string_view bucket_logical_id = "CodePipelineBuildArtifactBucket";
constexpr std::string_view policy_logical_id = "CodePipelineBuildArtifactBucketPolicy";
constexpr std::string_view key_logical_id = "ArtifactKey";
constexpr std::string_view alias_logical_id = "ArtifactKeyAlias";

// Artifacts are never public and always encrypted at rest (S3 User Guide,
// "Blocking public access" and "Setting default server-side encryption").
// With `encryption kms`, objects are encrypted with the region's artifact key,
// with an S3 Bucket Key so that S3 calls KMS once per bucket key, not per object.
void hardening(YamlWriter& y, const Ir& ir) {
  y.key("BucketEncryption").map().key("ServerSideEncryptionConfiguration").seq().map();
  if (ir.artifacts.encryption == ArtifactEncryption::kms) {
    y.key("BucketKeyEnabled").boolean(true);
    y.key("ServerSideEncryptionByDefault").map().kv("SSEAlgorithm", "aws:kms");
    y.key("KMSMasterKeyID").fn("GetAtt", fmt::format("{}.Arn", key_logical_id)).end_map();
  } else {
    y.key("ServerSideEncryptionByDefault").map().kv("SSEAlgorithm", "AES256").end_map();
  }
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

void account_principal(YamlWriter& y) {
  y.key("Principal")
      .map()
      .key("AWS")
      .fn("Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
  y.end_map();
}

// The region's artifact key. Its policy lets the account administer it (so
// that it can never become unmanageable) and lets only the pipeline's three
// roles use it: they sit under the pipeline's IAM path, and CloudFormation
// names them, so the path is what the policy can name before they exist.
void artifact_key(YamlWriter& y, const Ir& ir) {
  if (ir.artifacts.encryption != ArtifactEncryption::kms) return;
  y.key(key_logical_id).map().kv("Type", "AWS::KMS::Key").key("Properties").map();
  y.kv("Description", fmt::format("Encrypts the artifacts of the {} pipeline", ir.pipeline_name));
  y.key("EnableKeyRotation").boolean(true);
  y.key("KeyPolicy").map().kv("Version", "2012-10-17").key("Statement").seq();
  y.map().kv("Sid", "AdministerKey").kv("Effect", "Allow");
  account_principal(y);
  y.key("Action").seq();
  for (const char* a : {"kms:CancelKeyDeletion",   "kms:CreateAlias",
                        "kms:DeleteAlias",         "kms:DescribeKey",
                        "kms:DisableKey",          "kms:DisableKeyRotation",
                        "kms:EnableKey",           "kms:EnableKeyRotation",
                        "kms:GetKeyPolicy",        "kms:GetKeyRotationStatus",
                        "kms:ListAliases",         "kms:ListGrants",
                        "kms:ListKeyPolicies",     "kms:ListResourceTags",
                        "kms:PutKeyPolicy",        "kms:RevokeGrant",
                        "kms:ScheduleKeyDeletion", "kms:TagResource",
                        "kms:UntagResource",       "kms:UpdateAlias",
                        "kms:UpdateKeyDescription"})
    y.str(a);
  y.end_seq().kv("Resource", "*").end_map();
  y.map().kv("Sid", "UseByPipelineRoles").kv("Effect", "Allow");
  account_principal(y);
  y.key("Action").seq();
  for (const char* a : {"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
                        "kms:ReEncryptFrom", "kms:ReEncryptTo"})
    y.str(a);
  y.end_seq().kv("Resource", "*");
  y.key("Condition").map().key("ArnLike").map().key("aws:PrincipalArn");
  y.fn("Sub", fmt::format("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{}*",
                          ir.artifacts.role_path));
  y.end_map().end_map().end_map();
  y.end_seq().end_map();  // Statement, KeyPolicy
  y.end_map().end_map();  // Properties, key
  y.key(alias_logical_id).map().kv("Type", "AWS::KMS::Alias").key("Properties").map();
  y.kv("AliasName", ir.artifacts.key_alias).key("TargetKeyId").fn("Ref", key_logical_id);
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
  nag_metadata(y, {{"AwsSolutions-S1",
                    "server access logging is off: the bucket holds only what the pipeline "
                    "writes and reads back, and CloudTrail data events audit requests to it "
                    "where an account wants them"}});
  y.key("Properties").map();
  y.key("BucketName").fn("Sub", ir.artifacts.bucket_name_sub);
  hardening(y, ir);
  lifecycle(y, ir);
  y.key("VersioningConfiguration").map();
  y.kv("Status", ir.artifacts.versioning ? "Enabled" : "Suspended").end_map();
  y.end_map().end_map();  // Properties, bucket
  tls_only_policy(y);
  artifact_key(y, ir);
  y.end_map();  // Resources
  y.key("Outputs").map().key("ArtifactBucketName").map();
  y.kv("Description", "The pipeline's artifact bucket in this region");
  y.key("Value").fn("Ref", bucket_logical_id).end_map().end_map();
  y.end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
