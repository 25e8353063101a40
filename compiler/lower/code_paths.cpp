// code-path: the local files `aws cloudformation package` uploads.
//
// The build script packages the app template once per region with
// `aws cloudformation package`, which uploads the local file or folder that
// certain properties name (relative to the template) and puts its S3 location
// in their place. The properties are those the AWS CLI's `cloudformation
// package` lists (AWS CLI Command Reference); a path that is missing fails the
// build. Paths are judged only when the spec runs no build command, since a
// command can make them (`npm run dist` makes `dist/`).
//
// The CLI reads neither SAM's `Globals` nor `InlineCode` or `PackageType`: a
// function without its own `CodeUri` gets the template's whole folder, zipped,
// as its code; with `Globals.Function.CodeUri` that zip even replaces the
// global path. Both are warnings: the deploy may work, with code the author
// did not mean.

#include <array>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/lower/template_checks.h"
#include "compiler/yaml/yaml_nodes.h"

namespace mrp {
namespace {

using yaml::child;
using yaml::present;
using yaml::text;

struct PackagedProperty {
  std::string_view type;
  std::string_view property;  ///< a dotted path under `Properties`
};

// clang-format off
constexpr std::array<PackagedProperty, 18> packaged = {{
    {"AWS::Serverless::Function", "CodeUri"},
    {"AWS::Serverless::Api", "DefinitionUri"},
    {"AWS::Serverless::StateMachine", "DefinitionUri"},
    {"AWS::Serverless::LayerVersion", "ContentUri"},
    {"AWS::Serverless::Application", "Location"},
    {"AWS::Lambda::Function", "Code"},
    {"AWS::Lambda::LayerVersion", "Content"},
    {"AWS::ApiGateway::RestApi", "BodyS3Location"},
    {"AWS::AppSync::GraphQLSchema", "DefinitionS3Location"},
    {"AWS::AppSync::Resolver", "RequestMappingTemplateS3Location"},
    {"AWS::AppSync::Resolver", "ResponseMappingTemplateS3Location"},
    {"AWS::AppSync::FunctionConfiguration", "RequestMappingTemplateS3Location"},
    {"AWS::AppSync::FunctionConfiguration", "ResponseMappingTemplateS3Location"},
    {"AWS::CloudFormation::Stack", "TemplateURL"},
    {"AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle"},
    {"AWS::Glue::Job", "Command.ScriptLocation"},
    {"AWS::StepFunctions::StateMachine", "DefinitionS3Location"},
    {"AWS::CodeCommit::Repository", "Code.S3"},
}};
// clang-format on

// A value the CLI reads as a local path: a string that is not a URL. Absolute
// paths are left alone: they name the build machine, not the repository.
bool local_path(const YAML::Node& value) {
  if (!yaml::is_literal(value)) return false;
  const std::string& s = value.Scalar();
  for (std::string_view scheme : {"s3://", "http://", "https://"})
    if (s.rfind(scheme, 0) == 0) return false;
  return !s.empty() && s[0] != '/';
}

class CodePaths {
 public:
  CodePaths(const TemplateView& t, const FileReader& files, bool check_paths, Diagnostics& diags)
      : t_(t), files_(files), check_paths_(check_paths), diags_(diags) {
    dir_ = std::filesystem::path(t.app.template_in_spec).parent_path().generic_string();
  }

  void run() {
    for (const auto& r : t_.resources) {
      const std::string type = text(child(r.node, "Type"));
      for (const auto& p : packaged)
        if (p.type == type)
          path(r.id, p.property, yaml::at_path(child(r.node, "Properties"), p.property));
      if (type == "AWS::Serverless::Function") function_code(r);
    }
    // The Serverless Application Repository's files, in the template's `Metadata`.
    const YAML::Node repo_app =
        child(child(t_.root, "Metadata"), "AWS::ServerlessRepo::Application");
    for (const char* url : {"ReadmeUrl", "LicenseUrl"})
      path("AWS::ServerlessRepo::Application", url, child(repo_app, url));
    for (const auto& m : t_.macros)
      if (m.name == "AWS::Include")
        path("AWS::Include", "Location", child(m.parameters, "Location"));
  }

 private:
  void path(const std::string& owner, std::string_view property, const YAML::Node& value) {
    if (!check_paths_ || !local_path(value)) return;
    const std::string full =
        (std::filesystem::path(dir_) / value.Scalar()).lexically_normal().generic_string();
    if (files_.exists(full)) return;
    diags_.error(t_.at(value.Mark()), rule::code_path,
                 fmt::format("`{}`'s `{}` is `{}`, which does not exist next to app template `{}` "
                             "(`{}`), and the build runs no command that could make it: `{}` "
                             "fails; fix the path, relative to the template's folder",
                             owner, property, value.Scalar(), t_.app.template_in_spec, full,
                             sam() ? "sam build" : "aws cloudformation package"));
  }

  void function_code(const TemplateResource& r) {
    const YAML::Node props = child(r.node, "Properties");
    if (present(child(props, "CodeUri")) || present(child(props, "InlineCode")) ||
        text(child(props, "PackageType")) == "Image")
      return;
    const std::string folder = dir_.empty() ? "." : dir_;
    const YAML::Node global = child(child(child(t_.root, "Globals"), "Function"), "CodeUri");
    // `sam build` reads Globals, and writes each function's CodeUri.
    if (present(global) && sam()) return;
    if (present(global)) {
      diags_.warning(
          t_.at(r.id_mark), rule::code_path,
          fmt::format("`{}` has no `CodeUri` of its own; `aws cloudformation package` does not "
                      "read `Globals`, so it zips the template's whole folder (`{}`) as `{}`'s "
                      "code, which replaces `Globals.Function.CodeUri`: set `CodeUri` on `{}`",
                      r.id, folder, r.id, r.id));
      return;
    }
    diags_.warning(
        t_.at(r.id_mark), rule::code_path,
        fmt::format("`{}` has no `CodeUri`, `InlineCode` or `PackageType: Image`, so "
                    "{} the template's whole folder (`{}`) as its code: set "
                    "`CodeUri` to the folder that holds its handler",
                    r.id, sam() ? "`sam build` builds" : "`aws cloudformation package` zips",
                    folder));
  }

  bool sam() const { return t_.app.build_with == BuildWith::sam; }

  const TemplateView& t_;
  const FileReader& files_;
  bool check_paths_;
  Diagnostics& diags_;
  std::string dir_;
};

}  // namespace

void check_code_paths(const TemplateView& t, const FileReader& files, bool build_has_commands,
                      Diagnostics& diags) {
  CodePaths(t, files, !build_has_commands, diags).run();
}

}  // namespace mrp
