#include "compiler/lower/lower.h"

#include <fmt/format.h>

#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"

#include "compiler/aws/names.h"
#include "compiler/base/utf8.h"
#include "compiler/lower/app_template.h"
#include "compiler/lower/iam.h"
#include "compiler/lower/lower_apps.h"
#include "compiler/lower/lower_permissions.h"
#include "compiler/lower/lower_record.h"
#include "compiler/lower/lower_regions.h"
#include "compiler/lower/lower_source.h"
#include "compiler/lower/schema.h"

namespace mrp {
namespace {

using B = BlockRule;

const std::vector<DirectiveShape> top_shapes = {{.name = "pipeline",
                                                 .min_args = 1,
                                                 .max_args = 1,
                                                 .block = B::required,
                                                 .required = true,
                                                 .arg_hint = "the pipeline name"}};
const std::vector<DirectiveShape> pipeline_shapes = {
    {.name = "description", .min_args = 1, .max_args = 1, .arg_hint = "the description, quoted"},
    {.name = "source",
     .min_args = 1,
     .max_args = 1,
     .block = B::required,
     .required = true,
     .arg_hint = "the source kind"},
    {.name = "execution-mode",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "`queued`, `superseded` or `parallel`"},
    {.name = "deploy", .min_args = 1, .max_args = 1, .arg_hint = "`direct` or `change-set`"},
    {.name = "account",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "the 12-digit id of the account the pipeline lives in"},
    {.name = "home-region",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "the region the pipeline stack lives in, one of `regions`"},
    {.name = "regions",
     .max_args = any_count,
     .block = B::optional,
     .required = true,
     .arg_hint = "region codes"},
    {.name = "artifacts", .block = B::required},
    {.name = "build", .block = B::required},
    {.name = "app",
     .min_args = 1,
     .max_args = 1,
     .block = B::required,
     .repeats = true,
     .required = true,
     .arg_hint = "the application's stack name"}};
const std::vector<DirectiveShape> artifacts_shapes = {
    {.name = "expire-after",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "a number of days such as `90d`"},
    {.name = "versioning", .min_args = 1, .max_args = 1, .arg_hint = "`on` or `off`"},
    {.name = "encryption", .min_args = 1, .max_args = 1, .arg_hint = "`s3` or `kms`"},
    {.name = "access-logs"}};
const std::vector<DirectiveShape> build_shapes = {
    {.name = "image", .min_args = 1, .max_args = 1, .arg_hint = "a CodeBuild image"},
    {.name = "compute",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "`small`, `medium`, `large` or `2xlarge`"},
    {.name = "install",
     .min_args = 1,
     .max_args = 1,
     .repeats = true,
     .arg_hint = "one command; quote it when it has spaces"},
    {.name = "run",
     .min_args = 1,
     .max_args = 1,
     .repeats = true,
     .arg_hint = "one command; quote it when it has spaces"},
    {.name = "env",
     .min_args = 2,
     .max_args = 2,
     .repeats = true,
     .arg_hint = "a variable name and its value"},
    permissions_shape};

// CodeBuild compute types for Linux containers; the short forms are mrp's.
const std::vector<std::pair<std::string_view, std::string_view>> compute_types = {
    {"small", "BUILD_GENERAL1_SMALL"},
    {"medium", "BUILD_GENERAL1_MEDIUM"},
    {"large", "BUILD_GENERAL1_LARGE"},
    {"xlarge", "BUILD_GENERAL1_XLARGE"},
    {"2xlarge", "BUILD_GENERAL1_2XLARGE"}};

constexpr std::string_view default_image = "aws/codebuild/standard:7.0";

const Argument& arg(const Children& c, std::string_view name, std::size_t i = 0) {
  return c.find(name)->second.front()->args[i];
}

bool has(const Children& c, std::string_view name) { return c.find(name) != c.end(); }

// The spec's path as the generated files' header comments show it. A file
// name may hold anything but `/`: a line break (or what YAML 1.1 reads as one)
// would end the comment and make the rest of the name a command of every
// script, and bytes that are not printable UTF-8 make a YAML file unreadable.
std::string path_for_comments(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size();) {
    const std::size_t len = utf8_sequence_length(path, i);
    const auto c = static_cast<unsigned char>(path[i]);
    if (len == 0 || c < 0x20 || c == 0x7F) {
      out += c == '\n'   ? "\\n"
             : c == '\r' ? "\\r"
             : c == '\t' ? "\\t"
                         : fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    const std::string_view ch = path.substr(i, len);
    if (ch >= "\u0080" && ch <= "\u009F")
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(ch[1]));
    else if (ch == "\u2028" || ch == "\u2029")
      out += ch == "\u2028" ? "\\u2028" : "\\u2029";
    else
      out += ch;
    i += len;
  }
  return out;
}

class Lowering {
 public:
  Lowering(const LowerOptions& options, const FileReader& files, Diagnostics& diags)
      : options_(options), files_(files), diags_(diags) {}

  std::optional<Ir> run(const SyntaxTree& tree) {
    Directive root;
    root.pos = SourcePos{tree.file, 1, 1, 0};
    const Children top = check_children(root, tree.directives, top_shapes, diags_);
    if (!has(top, "pipeline")) return std::nullopt;
    const Directive& pipeline = *top.at("pipeline").front();
    lower_pipeline(pipeline);
    return std::move(ir_);
  }

 private:
  void lower_pipeline(const Directive& p) {
    ir_.spec_path = path_for_comments(options_.spec_path);
    lower_pipeline_name(p.args[0]);
    const Children c = check_children(p, p.children, pipeline_shapes, diags_);
    ir_.description = has(c, "description")
                          ? arg(c, "description").value
                          : fmt::format("Multi-region deployment pipeline {}", ir_.pipeline_name);
    // A template's Description holds at most 1,024 bytes (CloudFormation
    // User Guide, "Template format: Description").
    if (has(c, "description") && ir_.description.size() > 1024)
      diags_.error(arg(c, "description").pos, rule::description,
                   fmt::format("the description is {} bytes; a CloudFormation template's "
                               "Description takes at most 1024",
                               ir_.description.size()));
    if (has(c, "source")) lower_source(*c.at("source").front(), ir_.source, diags_);
    if (has(c, "execution-mode")) lower_execution_mode(arg(c, "execution-mode"));
    if (has(c, "deploy")) lower_deploy_mode(arg(c, "deploy"));
    lower_pipeline_account(p, c);
    if (has(c, "regions")) lower_regions(*c.at("regions").front(), ir_, diags_);
    ir_.artifacts.bucket_name_sub = bucket_name_sub(ir_.pipeline_name, "${AWS::Region}");
    ir_.artifacts.bucket_pattern_sub = bucket_name_sub(ir_.pipeline_name, "*");
    if (has(c, "artifacts")) lower_artifacts(*c.at("artifacts").front());
    ir_.build.image = default_image;
    ir_.build.compute_type = "BUILD_GENERAL1_SMALL";
    ir_.build.project_name = ir_.pipeline_name + "-build";
    if (has(c, "build")) lower_build(*c.at("build").front());
    if (has(c, "app")) lower_apps(c.at("app"), options_, ir_, diags_);
    if (!ir_.regions.empty())
      lower_record(has(c, "home-region") ? &arg(c, "home-region") : nullptr, options_, files_, ir_,
                   diags_);
  }

  void lower_pipeline_name(const Argument& a) {
    // The name starts S3 bucket names, so it takes their rules: lower-case
    // letters, digits and hyphens, starting with a letter and not ending in '-'.
    if (!text::is_lower_dns_label(a.value)) {
      diags_.error(a.pos, rule::pipeline_name,
                   fmt::format("pipeline name `{}` must be lower-case letters, digits and "
                               "hyphens, start with a letter and not end with `-`: it "
                               "starts the S3 bucket names",
                               a.value));
    }
    // S3 reserves these prefixes of bucket names (S3 User Guide, "General
    // purpose bucket naming rules").
    for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
      if (a.value.rfind(prefix, 0) == 0)
        diags_.error(a.pos, rule::pipeline_name,
                     fmt::format("pipeline name `{}` starts with `{}`, which S3 reserves: no "
                                 "bucket name may start with it; choose another name",
                                 a.value, prefix));
    }
    ir_.pipeline_name = a.value;
    ir_.pipeline_pos = a.pos;
    ir_.pipeline_stack = a.value;
    ir_.artifact_bucket_stack = a.value + "-artifact-bucket";
  }

  // The pipeline's own account, which the target accounts' roles trust. Its
  // position is kept even when `account` has no id or a bad one, so that a
  // wave in another account is not also told to add one.
  void lower_pipeline_account(const Directive& p, const Children& c) {
    for (const auto& child : p.children)
      if (child.name == "account") ir_.pipeline_account_pos = child.pos;
    if (!has(c, "account")) return;
    const Argument& a = arg(c, "account");
    if (!text::is_account_id(a.value)) {
      diags_.error(a.pos, rule::account, not_an_account_id(a.value));
      return;
    }
    ir_.pipeline_account = a.value;
  }

  void lower_deploy_mode(const Argument& a) {
    ir_.deploy_mode_pos = a.pos;
    if (a.value == "direct") return;
    if (a.value == "change-set") {
      ir_.deploy_mode = DeployMode::change_set;
      ir_.change_set_name = "mrp-deploy";
      return;
    }
    diags_.error(a.pos, rule::deploy_mode,
                 fmt::format("unknown deploy mode `{}`{}", a.value,
                             suggestion(a.value, {"direct", "change-set"})));
  }

  void lower_execution_mode(const Argument& a) {
    static const std::vector<std::pair<std::string_view, ExecutionMode>> modes = {
        {"superseded", ExecutionMode::superseded},
        {"queued", ExecutionMode::queued},
        {"parallel", ExecutionMode::parallel}};
    ir_.execution_mode_pos = a.pos;
    for (const auto& [name, mode] : modes) {
      if (a.value == name) {
        ir_.execution_mode = mode;
        return;
      }
    }
    diags_.error(a.pos, rule::execution_mode,
                 fmt::format("unknown execution mode `{}`{}", a.value,
                             suggestion(a.value, {"queued", "superseded", "parallel"})));
  }

  void lower_artifacts(const Directive& d) {
    const Children c = check_children(d, d.children, artifacts_shapes, diags_);
    if (has(c, "expire-after")) {
      const Argument& a = arg(c, "expire-after");
      if (const auto days = text::count_with_unit(a.value, 'd'))
        ir_.artifacts.expire_after_days = *days;
      else
        diags_.error(a.pos, rule::duration,
                     fmt::format("`expire-after` takes a number of days from 1d to 999999d, "
                                 "such as `90d`; got `{}`",
                                 a.value));
    }
    if (has(c, "encryption")) lower_encryption(arg(c, "encryption"));
    if (has(c, "access-logs")) {
      ir_.artifacts.access_logs = true;
      ir_.artifacts.access_logs_pos = c.at("access-logs").front()->pos;
      ir_.artifacts.log_bucket_name_sub = log_bucket_name_sub(ir_.pipeline_name, "${AWS::Region}");
    }
    if (has(c, "versioning")) {
      const Argument& a = arg(c, "versioning");
      if (a.value == "on" || a.value == "off")
        ir_.artifacts.versioning = a.value == "on";
      else
        diags_.error(a.pos, rule::versioning,
                     fmt::format("`versioning` takes `on` or `off`; got `{}`", a.value));
    }
  }

  void lower_encryption(const Argument& a) {
    ir_.artifacts.encryption_pos = a.pos;
    if (a.value == "s3") return;
    if (a.value != "kms") {
      diags_.error(a.pos, rule::artifact_encryption,
                   fmt::format("`encryption` takes `s3` (S3 managed keys) or `kms` (a KMS key "
                               "per region); got `{}`",
                               a.value));
      return;
    }
    use_artifact_keys(ir_);
  }

  void lower_build(const Directive& d) {
    const Children c = check_children(d, d.children, build_shapes, diags_);
    ir_.build.image_pos = d.pos;
    if (has(c, "image")) {
      ir_.build.image = arg(c, "image").value;
      ir_.build.image_pos = arg(c, "image").pos;
    }
    if (has(c, "compute")) lower_compute(arg(c, "compute"));
    for (const char* list : {"install", "run"}) {
      if (!has(c, list)) continue;
      auto& out = std::string_view(list) == "install" ? ir_.build.install : ir_.build.run;
      for (const Directive* cmd : c.at(list)) out.push_back(cmd->args[0].value);
    }
    if (has(c, "env"))
      for (const Directive* e : c.at("env")) lower_env(*e);
    if (has(c, "permissions"))
      lower_permissions(*c.at("permissions").front(), ir_.build.permissions, diags_);
  }

  void lower_compute(const Argument& a) {
    for (const auto& [short_name, full] : compute_types) {
      if (a.value == short_name || a.value == full) {
        ir_.build.compute_type = full;
        return;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& [short_name, full] : compute_types)
      names.insert(names.end(), {short_name, full});
    const std::string_view guess = closest_word(a.value, names);
    diags_.error(a.pos, rule::compute_type,
                 guess.empty()
                     ? fmt::format("unknown compute `{}`; expected `small`, `medium`, "
                                   "`large`, `xlarge`, `2xlarge` or a "
                                   "`BUILD_GENERAL1_*` name of these",
                                   a.value)
                     : fmt::format("unknown compute `{}`; did you mean `{}`?", a.value, guess));
  }

  void lower_env(const Directive& e) {
    const Argument& name = e.args[0];
    if (!text::is_identifier(name.value)) {
      diags_.error(name.pos, rule::env_name,
                   fmt::format("environment variable name `{}` must be letters, digits "
                               "and `_`, not starting with a digit",
                               name.value));
      return;
    }
    if (name.value.rfind("CODEBUILD_", 0) == 0) {
      diags_.error(name.pos, rule::env_name,
                   fmt::format("environment variable `{}`: names starting with "
                               "`CODEBUILD_` are reserved by CodeBuild",
                               name.value));
      return;
    }
    for (const auto& r : ir_.regions) {
      for (const auto& [var, what] : {std::pair{&r.bucket_env_var, "artifact bucket"},
                                      std::pair{&r.image_repository_env_var, "image repository"}}) {
        if (*var != name.value) continue;
        diags_.error(name.pos, rule::env_name,
                     fmt::format("environment variable `{}` is set by mrp to the {} {}; "
                                 "choose another name",
                                 name.value, r.code, what));
        return;
      }
    }
    for (const auto& prior : ir_.build.env) {
      if (prior.name == name.value) {
        diags_.error(name.pos, rule::env_name,
                     fmt::format("environment variable `{}` is set twice", name.value));
        return;
      }
    }
    ir_.build.env.push_back({name.value, e.args[1].value});
  }

  const LowerOptions& options_;
  const FileReader& files_;
  Diagnostics& diags_;
  Ir ir_;
};

}  // namespace

std::optional<Ir> lower(const SyntaxTree& tree, const LowerOptions& options,
                        const FileReader& files, Diagnostics& diags) {
  auto ir = Lowering(options, files, diags).run(tree);
  if (!ir) return ir;
  read_app_templates(*ir, files, diags);
  lower_target_accounts(*ir, diags);
  derive_roles(*ir);
  return ir;
}

}  // namespace mrp
