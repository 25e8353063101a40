#include "compiler/emit/emit.h"
#include "compiler/emit/nag_suppressions.h"
#include "compiler/emit/yaml_out.h"

#include <fmt/format.h>

#include "compiler/aws/names.h"

namespace mrp {
namespace {

// Keeps the logical id of the hand-written example, so that a stack created from
// it updates in place instead of replacing (and failing to re-create) its bucket.
constexpr std::string_view bucket_logical_id = "CodePipelineBuildArtifactBucket";
constexpr std::string_view policy_logical_id = "CodePipelineBuildArtifactBucketPolicy";
constexpr std::string_view key_logical_id = "ArtifactKey";
constexpr std::string_view alias_logical_id = "ArtifactKeyAlias";
constexpr std::string_view log_bucket_logical_id = "AccessLogBucket";
constexpr std::string_view log_policy_logical_id = "AccessLogBucketPolicy";
constexpr std::string_view repository_logical_id = "ImageRepository";
// The folder of the log bucket the artifact bucket's logs go to; the log
// delivery may write only there.
constexpr std::string_view log_prefix = "artifact-bucket/";
// Access logs are kept for a year, then expire: long enough for a yearly
// audit to look back over every request, short enough that the bucket does
// not grow for ever. The artifacts they describe expire sooner (expire-after).
constexpr int access_log_days = 365;

// Never public, and the bucket owns every object: ACLs are disabled (S3 User
// Guide, "Blocking public access" and "Controlling ownership of objects").
void private_and_owned(YamlWriter& y) {
  y.key("PublicAccessBlockConfiguration").map();
  for (const char* setting :
       {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"})
    y.key(setting).boolean(true);
  y.end_map();
  y.key("OwnershipControls").map().key("Rules").seq().map();
  y.kv("ObjectOwnership", "BucketOwnerEnforced").end_map().end_seq().end_map();
}

// Artifacts are always encrypted at rest (S3 User Guide, "Setting default
// server-side encryption"). With `encryption kms`, objects are encrypted with
// the region's artifact key, with an S3 Bucket Key so that S3 calls KMS once
// per bucket key, not per object.
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
  private_and_owned(y);
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
void deny_insecure_transport(YamlWriter& y, std::string_view bucket) {
  y.map().kv("Sid", "DenyInsecureTransport").kv("Effect", "Deny").kv("Principal", "*");
  y.kv("Action", "s3:*").key("Resource").seq();
  y.fn("GetAtt", fmt::format("{}.Arn", bucket));
  y.fn("Sub", fmt::format("${{{}.Arn}}/*", bucket));
  y.end_seq();
  y.key("Condition").map().key("Bool").map().kv("aws:SecureTransport", "false").end_map();
  y.end_map().end_map();
}

// A statement for the target accounts' roles names the accounts as its
// `Principal`, and the roles in its `Condition` (a policy cannot name another
// account's role before it exists).
void target_accounts(YamlWriter& y, const Ir& ir) {
  y.key("Principal").map().key("AWS").seq();
  for (const auto& a : ir.target_accounts)
    y.fn("Sub", fmt::format("arn:${{AWS::Partition}}:iam::{}:root", a.id));
  y.end_seq().end_map();
}

void only_target_roles(YamlWriter& y, const Ir& ir, bool with_deploy_roles) {
  y.key("Condition").map().key("ArnEquals").map().key("aws:PrincipalArn").seq();
  for (const auto& a : ir.target_accounts) {
    y.fn("Sub", a.action_role_arn_sub);
    if (with_deploy_roles) y.fn("Sub", a.deploy_role_arn_sub);
  }
  y.end_seq().end_map().end_map();
}

// With waves in other accounts, their action roles read the artifacts the
// pipeline hands them, and their deploy roles the packaged code (Lambda
// reads it as the role that deploys): nothing else, and no writes.
void target_account_reads(YamlWriter& y, const Ir& ir) {
  if (!ir.cross_account()) return;
  y.map().kv("Sid", "TargetAccountsReadArtifacts").kv("Effect", "Allow");
  target_accounts(y, ir);
  y.key("Action").seq().str("s3:GetObject").str("s3:GetObjectVersion").end_seq();
  y.key("Resource").fn("Sub", fmt::format("${{{}.Arn}}/*", bucket_logical_id));
  only_target_roles(y, ir, true);
  y.end_map();
  y.map().kv("Sid", "TargetAccountsFindArtifacts").kv("Effect", "Allow");
  target_accounts(y, ir);
  y.key("Action").seq();
  for (const char* a : {"s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"})
    y.str(a);
  y.end_seq().key("Resource").fn("GetAtt", fmt::format("{}.Arn", bucket_logical_id));
  only_target_roles(y, ir, false);
  y.end_map();
}

void tls_only_policy(YamlWriter& y, const Ir& ir) {
  y.key(policy_logical_id).map().kv("Type", "AWS::S3::BucketPolicy").key("Properties").map();
  y.key("Bucket").fn("Ref", bucket_logical_id);
  y.key("PolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq();
  deny_insecure_transport(y, bucket_logical_id);
  target_account_reads(y, ir);
  y.end_seq().end_map();
  y.end_map().end_map();
}

// `access-logs`: the bucket in each region that receives the artifact
// bucket's server access logs, hardened like it. S3 writes the logs as the
// logging service, which the bucket policy admits only for this account's
// artifact bucket in this region (S3 User Guide, "Permissions for log
// delivery"); with ACLs disabled, a bucket policy is the only way in. Log
// delivery cannot use a KMS key, so the logs are encrypted with S3's own keys
// even under `encryption kms`. Logs are written once under names of their
// own, so the bucket keeps no versions; they expire after a year.
void access_log_bucket(YamlWriter& y, const Ir& ir) {
  if (!ir.artifacts.access_logs) return;
  // It keeps no access logs of its own (logging it into itself would log
  // every delivery); cdk-nag's S1 knows a bucket other buckets log to and asks
  // nothing of it, so no suppression is needed.
  y.key(log_bucket_logical_id).map().kv("Type", "AWS::S3::Bucket").key("Properties").map();
  y.key("BucketName").fn("Sub", ir.artifacts.log_bucket_name_sub);
  y.key("BucketEncryption").map().key("ServerSideEncryptionConfiguration").seq().map();
  y.key("ServerSideEncryptionByDefault").map().kv("SSEAlgorithm", "AES256").end_map();
  y.end_map().end_seq().end_map();
  private_and_owned(y);
  y.key("LifecycleConfiguration").map().key("Rules").seq();
  y.map().kv("Id", "ExpireAccessLogs").key("ExpirationInDays").num(access_log_days);
  y.kv("Status", "Enabled").end_map();
  y.end_seq().end_map();
  y.end_map().end_map();  // Properties, bucket

  y.key(log_policy_logical_id).map().kv("Type", "AWS::S3::BucketPolicy").key("Properties").map();
  y.key("Bucket").fn("Ref", log_bucket_logical_id);
  y.key("PolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq();
  deny_insecure_transport(y, log_bucket_logical_id);
  y.map().kv("Sid", "AllowAccessLogDelivery").kv("Effect", "Allow");
  y.key("Principal").map().kv("Service", "logging.s3.amazonaws.com").end_map();
  y.kv("Action", "s3:PutObject");
  y.key("Resource").fn("Sub", fmt::format("${{{}.Arn}}/{}*", log_bucket_logical_id, log_prefix));
  y.key("Condition").map();
  // The artifact bucket by name: its ARN would make the two resources wait
  // for each other.
  y.key("ArnLike").map().key("aws:SourceArn");
  y.fn("Sub", "arn:${AWS::Partition}:s3:::" + ir.artifacts.bucket_name_sub).end_map();
  y.key("StringEquals").map().key("aws:SourceAccount").fn("Sub", "${AWS::AccountId}").end_map();
  y.end_map().end_map();  // Condition, statement
  y.end_seq().end_map();  // Statement, PolicyDocument
  y.end_map().end_map();  // Properties, policy
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
  // The target accounts' roles decrypt what they read, and nothing more.
  if (ir.cross_account()) {
    y.map().kv("Sid", "DecryptByTargetAccountRoles").kv("Effect", "Allow");
    target_accounts(y, ir);
    y.key("Action").seq().str("kms:Decrypt").str("kms:DescribeKey").end_seq();
    y.kv("Resource", "*");
    only_target_roles(y, ir, true);
    y.end_map();
  }
  y.end_seq().end_map();  // Statement, KeyPolicy
  y.end_map().end_map();  // Properties, key
  y.key(alias_logical_id).map().kv("Type", "AWS::KMS::Alias").key("Properties").map();
  y.kv("AliasName", ir.artifacts.key_alias).key("TargetKeyId").fn("Ref", key_logical_id);
  y.end_map().end_map();
}

// With container-image functions, the region's image repository: `sam
// package` pushes the images there and Lambda pulls them from there (an image
// must be in the function's region). Lambda reads it through the repository
// policy, for this account's functions in this region only. Deleting the
// stack deletes the images with it (EmptyOnDelete), so teardown.sh and
// retire.sh need no step of their own for them.
void image_repository(YamlWriter& y, const Ir& ir) {
  if (!ir.has_images()) return;
  y.key(repository_logical_id).map().kv("Type", "AWS::ECR::Repository").key("Properties").map();
  y.kv("RepositoryName", image_repository_name(ir.pipeline_name));
  y.key("EmptyOnDelete").boolean(true);
  y.key("ImageScanningConfiguration").map().key("ScanOnPush").boolean(true).end_map();
  y.key("RepositoryPolicyText").map().kv("Version", "2012-10-17").key("Statement").seq();
  y.map().kv("Sid", "LambdaPullsImages").kv("Effect", "Allow");
  y.key("Principal").map().kv("Service", "lambda.amazonaws.com").end_map();
  y.key("Action").seq().str("ecr:BatchGetImage").str("ecr:GetDownloadUrlForLayer").end_seq();
  y.key("Condition").map().key("StringLike").map().key("aws:sourceArn");
  y.fn("Sub", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*");
  y.end_map().end_map();            // StringLike, Condition
  y.end_map().end_seq().end_map();  // statement, Statement, RepositoryPolicyText
  y.end_map().end_map();            // Properties, repository
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
  if (ir.artifacts.access_logs) {
    // Logging starts only once the log bucket admits the deliveries.
    y.kv("DependsOn", log_policy_logical_id);
  } else {
    nag_metadata(y, {{"AwsSolutions-S1",
                      "server access logging is off: `artifacts { access-logs }` turns it on; "
                      "the bucket holds only what the pipeline writes and reads back"}});
  }
  y.key("Properties").map();
  y.key("BucketName").fn("Sub", ir.artifacts.bucket_name_sub);
  hardening(y, ir);
  lifecycle(y, ir);
  if (ir.artifacts.access_logs) {
    y.key("LoggingConfiguration")
        .map()
        .key("DestinationBucketName")
        .fn("Ref", log_bucket_logical_id);
    y.kv("LogFilePrefix", log_prefix).end_map();
  }
  y.key("VersioningConfiguration").map();
  y.kv("Status", ir.artifacts.versioning ? "Enabled" : "Suspended").end_map();
  y.end_map().end_map();  // Properties, bucket
  tls_only_policy(y, ir);
  access_log_bucket(y, ir);
  artifact_key(y, ir);
  image_repository(y, ir);
  y.end_map();  // Resources
  y.key("Outputs").map().key("ArtifactBucketName").map();
  y.kv("Description", "The pipeline's artifact bucket in this region");
  y.key("Value").fn("Ref", bucket_logical_id).end_map();
  if (ir.artifacts.access_logs) {
    y.key("AccessLogBucketName").map();
    y.kv("Description", "The bucket that receives the artifact bucket's access logs");
    y.key("Value").fn("Ref", log_bucket_logical_id).end_map();
  }
  if (ir.has_images()) {
    y.key("ImageRepositoryUri").map();
    y.kv("Description", "The repository the build pushes the container images to");
    y.key("Value").fn("GetAtt", fmt::format("{}.RepositoryUri", repository_logical_id)).end_map();
  }
  y.end_map();
  y.end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
