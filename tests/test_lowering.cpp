// Lowering: the directives of docs/language.md §2, every error's exact text, and the names
// the IR derives.

#include <doctest/doctest.h>

#include "compiler/aws/github.h"
#include "tests/support.h"

using mrp::test::compile_errors;
using mrp::test::compile_text;
using mrp::test::minimal_spec;

namespace {

// minimal_spec with `from` replaced by `to` (which must occur once).
std::string with(std::string_view from, std::string_view to) {
  std::string s = minimal_spec;
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("the IR computes every derived name once per region") {
  const auto r = compile_text(minimal_spec);
  REQUIRE(r.ir);
  const auto& ir = *r.ir;
  CHECK(ir.pipeline_stack == "shop");
  CHECK(ir.artifact_bucket_stack == "shop-artifact-bucket");
  CHECK(ir.artifacts.bucket_name_sub == "shop-${AWS::AccountId}-${AWS::Region}");
  REQUIRE(ir.regions.size() == 2);
  CHECK(ir.home_region().code == "us-east-1");
  const auto& eu = ir.regions[1];
  CHECK(eu.code == "eu-west-1");
  CHECK(eu.bucket_name_sub == "shop-${AWS::AccountId}-eu-west-1");
  CHECK(eu.bucket_env_var == "EU_WEST_1_ARTIFACT_BUCKET");
  REQUIRE(ir.apps.size() == 1);
  const auto& app = ir.apps[0];
  CHECK(app.stack_name == "shop-app");
  CHECK(app.template_path == "template.yaml");
  const auto& eu_app = app.regions[1];
  CHECK(eu_app.packaged_template == "packaged-template-eu-west-1.yaml");
  CHECK(eu_app.packaged_path == "mrp-packaged/packaged-template-eu-west-1.yaml");
  CHECK(eu_app.deploy_action == "DeployToEuWest1");
  CHECK(eu_app.create_change_set_action == "CreateChangeSetEuWest1");
  CHECK(eu_app.execute_change_set_action == "ExecuteChangeSetEuWest1");
}

TEST_CASE("several apps: names carry the stack, steps follow declaration order and after") {
  std::string spec = minimal_spec;
  spec.replace(spec.find("  app shop-app {"), 0,
               "  app shop-db { template db.yaml }\n"
               "  app shop-web { template web.yaml; after shop-app }\n"
               "  app shop-cdn { template cdn.yaml; after shop-db }\n");
  const auto r = compile_text(spec);
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.outputs);
  const auto& apps = r.ir->apps;
  REQUIRE(apps.size() == 4);
  // Declared: shop-db, shop-web (after shop-app), shop-cdn (after shop-db),
  // shop-app (no `after`: it follows shop-cdn, declared just before it).
  CHECK(apps[0].stack_name == "shop-db");
  CHECK(apps[0].step == 0);
  CHECK(apps[2].step == 1);  // shop-cdn after shop-db
  CHECK(apps[3].stack_name == "shop-app");
  CHECK(apps[3].step == 2);  // after shop-cdn
  CHECK(apps[1].step == 3);  // shop-web after shop-app
  CHECK(apps[1].regions[1].packaged_template == "packaged-shop-web-eu-west-1.yaml");
  CHECK(apps[1].regions[1].deploy_action == "DeployShopWebToEuWest1");
  CHECK(apps[1].regions[1].create_change_set_action == "CreateChangeSetShopWebEuWest1");
  CHECK(r.ir->app_steps() == 4);
  const std::string build = r.outputs->at("multiregion-build.sh");
  CHECK(build.find("package eu-west-1 \"$EU_WEST_1_ARTIFACT_BUCKET\" "
                   "mrp-packaged/packaged-shop-web-eu-west-1.yaml web.yaml\n") !=
        std::string::npos);
}

TEST_CASE("after: unknown stacks and cycles") {
  std::string spec = minimal_spec;
  spec.replace(spec.find("  app shop-app {"), 0,
               "  app a { template a.yaml; after b }\n"
               "  app b { template b.yaml; after a }\n"
               "  app c { template c.yaml; after shop-ap }\n");
  CHECK(compile_errors(spec) ==
        "test.mrp:8:28: error: app `a` is, through `after`, deployed after itself [app-order]\n"
        "  app a { template a.yaml; after b }\n"
        "                           ^\n"
        "test.mrp:10:28: error: `after shop-ap`: no app has that stack name; did you mean "
        "`shop-app`? [app-order]\n"
        "  app c { template c.yaml; after shop-ap }\n"
        "                           ^\n");
}

TEST_CASE("defaults: description, image, compute, versioning, no expiry") {
  const auto r = compile_text(minimal_spec);
  REQUIRE(r.ir);
  CHECK(r.ir->description == "Multi-region deployment pipeline shop");
  CHECK(r.ir->build.image == "aws/codebuild/standard:7.0");
  CHECK(r.ir->build.compute_type == "BUILD_GENERAL1_SMALL");
  CHECK(r.ir->artifacts.versioning);
  CHECK_FALSE(r.ir->artifacts.expire_after_days);
}

TEST_CASE("regions as a block keep their order; compute short names expand") {
  const auto r =
      compile_text(with("regions us-east-1 eu-west-1",
                        "regions {\n    ap-southeast-2\n    us-west-2 eu-central-1\n  }\n"
                        "  build { compute 2xlarge; env STAGE prod; run \"make\" }"));
  REQUIRE(r.ir);
  REQUIRE(r.ir->regions.size() == 3);
  CHECK(r.ir->regions[0].code == "ap-southeast-2");
  CHECK(r.ir->regions[2].code == "eu-central-1");
  CHECK(r.ir->build.compute_type == "BUILD_GENERAL1_2XLARGE");
  REQUIRE(r.ir->build.env.size() == 1);
  CHECK(r.ir->build.env[0].value == "prod");
}

TEST_CASE("a region may be in one wave per account; accounts are listed in first-use order") {
  const std::string spec = with("  regions us-east-1 eu-west-1\n",
                                "  account 111122223333\n"
                                "  regions {\n"
                                "    wave staging { account 222233334444; us-east-1 }\n"
                                "    wave tools { us-east-1 }\n"
                                "    wave production { account 444455556666; us-east-1 }\n"
                                "    wave late { account 222233334444; eu-west-1 }\n"
                                "  }\n");
  const auto r = compile_text(spec);
  INFO(mrp::render_all(r.diags, spec));
  CHECK_FALSE(r.diags.has_errors());
  REQUIRE(r.ir);
  const auto& ir = *r.ir;
  // us-east-1 once, however many accounts it is deployed to.
  REQUIRE(ir.regions.size() == 2);
  CHECK(ir.regions[0].code == "us-east-1");
  CHECK(ir.regions[1].code == "eu-west-1");
  using Regions = std::vector<std::size_t>;
  REQUIRE(ir.waves.size() == 4);
  CHECK(ir.waves[0].account == "222233334444");
  CHECK(ir.waves[1].account.empty());
  CHECK(ir.waves[0].regions == Regions{0});
  CHECK(ir.waves[1].regions == Regions{0});
  CHECK(ir.waves[2].regions == Regions{0});
  CHECK(ir.waves[3].regions == Regions{1});
  CHECK(ir.regions_in("") == Regions{0});
  // The last wave's region goes to the account it names, not the one named last.
  REQUIRE(ir.target_accounts.size() == 2);
  CHECK(ir.target_accounts[0].id == "222233334444");
  CHECK(ir.target_accounts[0].regions == Regions{0, 1});
  CHECK(ir.target_accounts[1].id == "444455556666");
  CHECK(ir.target_accounts[1].regions == Regions{0});
}

TEST_CASE("the template path is taken relative to the spec's folder") {
  mrp::LowerOptions o;
  o.spec_dir = "services/shop";
  o.spec_path = "services/shop/pipeline.mrp";
  const auto r = mrp::compile(minimal_spec, "x.mrp", mrp::test::minimal_files(), o);
  REQUIRE(r.ir);
  CHECK(r.ir->apps[0].template_path == "services/shop/template.yaml");
  CHECK(r.ir->spec_path == "services/shop/pipeline.mrp");
}

TEST_CASE("an empty spec and a spec without pipeline") {
  CHECK(compile_errors("") ==
        "test.mrp:1:1: error: a spec needs a `pipeline` directive [missing-directive]\n"
        "\n"
        "^\n");
  CHECK(compile_errors("pipelin x {}\n") ==
        "test.mrp:1:1: error: unknown directive `pipelin` at the top level; did you mean "
        "`pipeline`? [unknown-directive]\n"
        "pipelin x {}\n"
        "^\n"
        "test.mrp:1:1: error: a spec needs a `pipeline` directive [missing-directive]\n"
        "pipelin x {}\n"
        "^\n");
}

TEST_CASE("unknown directives, with a suggestion when one is close") {
  CHECK(compile_errors(with("  regions us-east-1", "  regoins us-east-1")) ==
        "test.mrp:1:1: error: `pipeline` needs a `regions` directive [missing-directive]\n"
        "pipeline shop {\n"
        "^\n"
        "test.mrp:7:3: error: unknown directive `regoins` in `pipeline`; did you mean `regions`? "
        "[unknown-directive]\n"
        "  regoins us-east-1 eu-west-1\n"
        "  ^\n");
  CHECK(compile_errors(with("    branch main\n", "    branch main\n    token x\n")) ==
        "test.mrp:6:5: error: unknown directive `token` in `source`; did you mean "
        "`token-secret`? [unknown-directive]\n"
        "    token x\n"
        "    ^\n");
  CHECK(compile_errors(with("    branch main\n", "    branch main\n    zzz x\n")) ==
        "test.mrp:6:5: error: unknown directive `zzz` in `source`; expected `owner`, `repo`, "
        "`branch`, `token-secret` or `trigger` [unknown-directive]\n"
        "    zzz x\n"
        "    ^\n");
}

TEST_CASE("wrong argument counts, missing and unexpected blocks, repeats") {
  CHECK(compile_errors(with("  app shop-app {", "  description \"a\" \"b\"\n  app shop-app {")) ==
        "test.mrp:8:19: error: `description` takes 1 argument (the description, quoted), got 2 "
        "[argument-count]\n"
        "  description \"a\" \"b\"\n"
        "                  ^\n");
  CHECK(compile_errors(with("    template template.yaml", "    template")) ==
        "test.mrp:9:5: error: `template` takes 1 argument (the app's template path), got 0 "
        "[argument-count]\n"
        "    template\n"
        "    ^\n");
  CHECK(compile_errors(
            with("  regions us-east-1 eu-west-1", "  regions us-east-1\n  regions eu-west-1")) ==
        "test.mrp:8:3: error: `regions` is given twice in `pipeline`; the first is on line 7 "
        "[duplicate-directive]\n"
        "  regions eu-west-1\n"
        "  ^\n");
  CHECK(compile_errors(with("  app shop-app {", "  build\n  app shop-app {")) ==
        "test.mrp:8:3: error: `build` needs a block: `build … { … }` [block-shape]\n"
        "  build\n"
        "  ^\n");
  CHECK(compile_errors(with("  app shop-app {", "  description x {}\n  app shop-app {")) ==
        "test.mrp:8:17: error: `description` does not take a block [block-shape]\n"
        "  description x {}\n"
        "                ^\n");
}

TEST_CASE("unknown values") {
  CHECK(compile_errors(with("source github", "source gitlab")) ==
        "test.mrp:2:10: error: GitLab repositories come through a CodeStar connection: use "
        "`source codestar { connection ARN; repo OWNER/NAME; branch B }` [source-kind]\n"
        "  source gitlab {\n"
        "         ^\n");
  CHECK(compile_errors(with("us-east-1 eu-west-1", "us-east-1 eu-west-9 us-gov-west-1")) ==
        "test.mrp:7:21: error: unknown region `eu-west-9`; did you mean `eu-west-1`? "
        "[unknown-region]\n"
        "  regions us-east-1 eu-west-9 us-gov-west-1\n"
        "                    ^\n"
        "test.mrp:7:31: error: `us-gov-west-1` is in another AWS partition (GovCloud or China), "
        "whose ARNs and endpoints differ; mrp targets the commercial regions [unknown-region]\n"
        "  regions us-east-1 eu-west-9 us-gov-west-1\n"
        "                              ^\n");
  CHECK(compile_errors(with("eu-west-1", "us-east-1")) ==
        "test.mrp:7:21: error: region `us-east-1` is listed twice [duplicate-region]\n"
        "  regions us-east-1 us-east-1\n"
        "                    ^\n");
  CHECK(compile_errors(with(
            "    template template.yaml",
            "    template t.yaml\n    capabilities CAPABILITY_IAM CAPABILTY_AUTO_EXPAND FOO")) ==
        "test.mrp:10:33: error: unknown capability `CAPABILTY_AUTO_EXPAND`; did you mean "
        "`CAPABILITY_AUTO_EXPAND`? [capability]\n"
        "    capabilities CAPABILITY_IAM CAPABILTY_AUTO_EXPAND FOO\n"
        "                                ^\n"
        "test.mrp:10:55: error: unknown capability `FOO`; expected `CAPABILITY_IAM`, "
        "`CAPABILITY_NAMED_IAM` or `CAPABILITY_AUTO_EXPAND` [capability]\n"
        "    capabilities CAPABILITY_IAM CAPABILTY_AUTO_EXPAND FOO\n"
        "                                                      ^\n");
  CHECK(compile_errors(with("  app shop-app {",
                            "  artifacts { expire-after 90; versioning yes }\n  app shop-app {")) ==
        "test.mrp:8:28: error: `expire-after` takes a number of days from 1d to 999999d, such as "
        "`90d`; got `90` [duration]\n"
        "  artifacts { expire-after 90; versioning yes }\n"
        "                           ^\n"
        "test.mrp:8:43: error: `versioning` takes `on` or `off`; got `yes` [versioning]\n"
        "  artifacts { expire-after 90; versioning yes }\n"
        "                                          ^\n");
  CHECK(compile_errors(with("  app shop-app {", "  build { compute huge }\n  app shop-app {")) ==
        "test.mrp:8:19: error: unknown compute `huge`; expected `small`, `medium`, `large`, "
        "`xlarge`, `2xlarge` or a `BUILD_GENERAL1_*` name of these [compute-type]\n"
        "  build { compute huge }\n"
        "                  ^\n");
}

TEST_CASE("names that AWS would reject") {
  CHECK(compile_errors(with("pipeline shop {", "pipeline Shop_1 {")) ==
        "test.mrp:1:10: error: pipeline name `Shop_1` must be lower-case letters, digits and "
        "hyphens, start with a letter and not end with `-`: it starts the S3 bucket names "
        "[pipeline-name]\n"
        "pipeline Shop_1 {\n"
        "         ^\n");
  CHECK(
      compile_errors(
          with("pipeline shop {", "pipeline a-pipeline-name-that-is-much-too-long-for-s3 {")) ==
      "test.mrp:7:11: error: bucket name "
      "`a-pipeline-name-that-is-much-too-long-for-s3-123456789012-us-east-1` would be 67 "
      "characters; S3 allows 63: shorten the pipeline name to at most 40 characters [bucket-name]\n"
      "  regions us-east-1 eu-west-1\n"
      "          ^\n"
      "test.mrp:7:21: error: bucket name "
      "`a-pipeline-name-that-is-much-too-long-for-s3-123456789012-eu-west-1` would be 67 "
      "characters; S3 allows 63: shorten the pipeline name to at most 40 characters [bucket-name]\n"
      "  regions us-east-1 eu-west-1\n"
      "                    ^\n");
  for (const char* prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    const std::string name = std::string(prefix) + "shop";
    CHECK(compile_errors(with("pipeline shop {", "pipeline " + name + " {")) ==
          "test.mrp:1:10: error: pipeline name `" + name + "` starts with `" + prefix +
              "`, which S3 reserves: no bucket name may start with it; choose another name "
              "[pipeline-name]\n"
              "pipeline " +
              name +
              " {\n"
              "         ^\n");
  }
  CHECK(compile_errors(with("pipeline shop {", "pipeline xn-shop {")) == "");
  CHECK(compile_errors(with("app shop-app", "app shop")) ==
        "test.mrp:8:7: error: app stack `shop` has the name of one of the pipeline's own stacks; "
        "deploying it would replace that stack [stack-name]\n"
        "  app shop {\n"
        "      ^\n");
  CHECK(compile_errors(with("  app shop-app {",
                            "  build { env CODEBUILD_X 1; env 9x 1; env EU_WEST_1_ARTIFACT_BUCKET "
                            "b }\n  app shop-app {")) ==
        "test.mrp:8:15: error: environment variable `CODEBUILD_X`: names starting with "
        "`CODEBUILD_` are reserved by CodeBuild [env-name]\n"
        "  build { env CODEBUILD_X 1; env 9x 1; env EU_WEST_1_ARTIFACT_BUCKET b }\n"
        "              ^\n"
        "test.mrp:8:34: error: environment variable name `9x` must be letters, digits and `_`, "
        "not starting with a digit [env-name]\n"
        "  build { env CODEBUILD_X 1; env 9x 1; env EU_WEST_1_ARTIFACT_BUCKET b }\n"
        "                                 ^\n"
        "test.mrp:8:44: error: environment variable `EU_WEST_1_ARTIFACT_BUCKET` is set by mrp to "
        "the eu-west-1 artifact bucket; choose another name [env-name]\n"
        "  build { env CODEBUILD_X 1; env 9x 1; env EU_WEST_1_ARTIFACT_BUCKET b }\n"
        "                                           ^\n");
}

TEST_CASE("every problem in a file is reported, in file order") {
  const std::string errors = compile_errors(
      "pipeline p {\n  regions mars-1\n  sauce github {}\n  app 1x { template }\n}\n");
  CHECK(errors ==
        "test.mrp:1:1: error: `pipeline` needs a `source` directive [missing-directive]\n"
        "pipeline p {\n"
        "^\n"
        "test.mrp:2:11: error: unknown region `mars-1`; expected a commercial AWS region code such "
        "as `us-east-1` [unknown-region]\n"
        "  regions mars-1\n"
        "          ^\n"
        "test.mrp:3:3: error: unknown directive `sauce` in `pipeline`; did you mean `source`? "
        "[unknown-directive]\n"
        "  sauce github {}\n"
        "  ^\n"
        "test.mrp:4:7: error: stack name `1x` must start with a letter and hold only letters, "
        "digits and hyphens, at most 128 characters [stack-name]\n"
        "  app 1x { template }\n"
        "      ^\n"
        "test.mrp:4:12: error: `template` takes 1 argument (the app's template path), got 0 "
        "[argument-count]\n"
        "  app 1x { template }\n"
        "           ^\n");
}

TEST_CASE("branch names: every name git accepts, none it rejects") {
  for (const char* ok :
       {"main", "release/2026.11", "feature/x_y", "v1.2", "user@host", "a-b+c", "Ünïcode"}) {
    CAPTURE(ok);
    CHECK(mrp::git_branch_problem(ok).empty());
  }
  const std::vector<std::pair<const char*, const char*>> bad = {
      {"", "it is empty"},
      {"a b", "it holds a space or control character"},
      {"a:b", "it holds `:`"},
      {"a~1", "it holds `~`"},
      {"-x", "it starts with `-`"},
      {"x/", "it starts or ends with `/`"},
      {".x", "a part of it starts with `.`"},
      {"a/.b", "a part of it starts with `.`"},
      {"x.", "it ends with `.`"},
      {"x.lock", "it ends with `.lock`"},
      {"a..b", "it holds `..`"},
      {"a//b", "it holds `//`"},
      {"a@{b", "it holds `@{`"}};
  for (const auto& [name, why] : bad) {
    CAPTURE(name);
    CHECK(mrp::git_branch_problem(name) == why);
  }
}

TEST_CASE("a value with a line break stays on the diagnostic's line") {
  // Otherwise a spec string could print what looks like a diagnostic of its own.
  CHECK(compile_errors(with("branch main", "branch \"main\\ntest.mrp:1:1: error: forged\"")) ==
        "test.mrp:5:12: error: `main\\ntest.mrp:1:1: error: forged` is not a valid git branch "
        "name: it holds a space or control character [git-branch]\n"
        "    branch \"main\\ntest.mrp:1:1: error: forged\"\n"
        "           ^\n");
}

TEST_CASE("an empty S3 object key is refused") {
  CHECK(compile_errors("pipeline shop {\n  source s3 { bucket drops; key \"\" }\n"
                       "  regions us-east-1\n  app shop-app { template t.yaml }\n}\n") ==
        "test.mrp:2:33: error: the object key is empty; S3 keys are 1 to 1,024 bytes: write the "
        "key of the source zip, such as `source.zip` [source-value]\n"
        "  source s3 { bucket drops; key \"\" }\n"
        "                                ^\n");
}

TEST_CASE("an empty template path is not read past its end") {
  // lint then says the template does not exist.
  mrp::LowerOptions in_folder;
  in_folder.spec_dir = "services";
  const auto r = mrp::compile(with("template template.yaml", "template \"\""), "test.mrp",
                              mrp::test::minimal_files(), in_folder);
  REQUIRE(r.ir);
  CHECK(r.ir->apps[0].template_path == "");
}

TEST_CASE("a description over 1,024 bytes is refused: CloudFormation takes no more") {
  const std::string at_limit = std::string(1024, 'd');
  CHECK(compile_errors(with("  regions us-east-1 eu-west-1",
                            "  description \"" + at_limit + "\"\n  regions us-east-1 eu-west-1")) ==
        "");
  const std::string over = compile_errors(
      with("  regions us-east-1 eu-west-1",
           "  description \"" + at_limit + "\xC3\xA9\"\n  regions us-east-1 eu-west-1"));
  CHECK(over.rfind("test.mrp:7:15: error: the description is 1026 bytes; a CloudFormation "
                   "template's Description takes at most 1024 [description]\n",
                   0) == 0);
}

TEST_CASE("access-logs names a log bucket per region, five characters longer") {
  const std::string logged =
      with("  regions us-east-1 eu-west-1\n",
           "  regions us-east-1 ap-southeast-2\n  artifacts { access-logs }\n");
  const auto r = compile_text(logged);
  REQUIRE(r.ir);
  CHECK(r.ir->artifacts.access_logs);
  CHECK(r.ir->artifacts.log_bucket_name_sub == "shop-${AWS::AccountId}-${AWS::Region}-logs");
  CHECK_FALSE(compile_text(minimal_spec).ir->artifacts.access_logs);
  CHECK(compile_errors(with("  regions us-east-1 eu-west-1\n",
                            "  regions us-east-1 eu-west-1\n  artifacts { access-logs on }\n")) ==
        "test.mrp:8:27: error: `access-logs` takes 0 arguments, got 1 [argument-count]\n"
        "  artifacts { access-logs on }\n"
        "                          ^\n");
  // A 33-character name fits the artifact buckets of ap-southeast-2 (61
  // characters) but not their log buckets (66).
  const std::string name(33, 'a');
  std::string long_name = logged;
  long_name.replace(long_name.find("shop {"), 4, name);
  std::string without_logs = long_name;
  without_logs.erase(without_logs.find("  artifacts"), 28);
  CHECK(compile_errors(without_logs) == "");
  CHECK(compile_errors(long_name) ==
        "test.mrp:8:15: error: access-log bucket name `" + name +
            "-123456789012-ap-southeast-2-logs` would be 66 characters; S3 allows 63: shorten "
            "the pipeline name to at most 30 characters [bucket-name]\n"
            "  artifacts { access-logs }\n"
            "              ^\n");
}
