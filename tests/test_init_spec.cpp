// mrp init's guesses, as pure functions of what it found: the source of each
// form of git remote, pipeline names, Go and Rust builds; and the
// `placeholder` rule that lint applies to what it leaves unguessed.

#include <map>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/init/init_spec.h"
#include "tests/support.h"

TEST_CASE("mrp init guesses the source from each form of git remote") {
  const auto source = [](const std::string& url) {
    mrp::RepoSurvey survey;
    survey.git_found = survey.git = true;
    return mrp::write_spec({}, {mrp::guess_source(url, "main", survey)});
  };
  const auto codestar = [](const std::string& provider, const std::string& repo) {
    return fmt::format(
        "# Guessed from the git remote ({} repository {}) and the current branch.\n# Create a "
        "connection to {} (console: Developer Tools, Settings, Connections) and put its ARN in "
        "place of <connection-arn>.\nsource codestar {{\n  connection <connection-arn>\n  repo "
        "{}\n  branch main\n}}\n",
        provider, repo, provider, repo);
  };
  CHECK(source("https://github.com/acme/shop.git") == codestar("GitHub", "acme/shop"));
  CHECK(source("https://user:token@github.com/acme/shop") == codestar("GitHub", "acme/shop"));
  CHECK(source("git@github.com:acme/shop.git") == codestar("GitHub", "acme/shop"));
  CHECK(source("ssh://git@github.com:22/acme/shop.git/") == codestar("GitHub", "acme/shop"));
  CHECK(source("https://gitlab.com/group/sub/app.git") == codestar("GitLab", "group/sub/app"));
  CHECK(source("git@bitbucket.org:team/app.git") == codestar("Bitbucket", "team/app"));
  const auto codecommit = [](const std::string& repo) {
    return fmt::format(
        "# Guessed from the git remote (CodeCommit repository {}) and the current branch.\n"
        "source codecommit {{\n  repo {}\n  branch main\n}}\n",
        repo, repo);
  };
  CHECK(source("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/orders") ==
        codecommit("orders"));
  CHECK(
      source("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-2.amazonaws.com/v1/repos/orders") ==
      codecommit("orders"));
  CHECK(source("codecommit::us-east-1://dev@orders") == codecommit("orders"));
  CHECK(source("codecommit://orders") == codecommit("orders"));
  CHECK(source("https://git.example.com/acme/shop.git") ==
        "# The git remote is on git.example.com, which is not GitHub, GitLab, Bitbucket or "
        "CodeCommit: mrp init could not guess the source. A CodeStar connection serves GitHub, "
        "GitLab and Bitbucket;\n# put its ARN and the repository in place of the placeholders, "
        "or use another source (docs/language.md, `source`).\nsource codestar {\n  connection "
        "<connection-arn>\n  repo <owner/repo>\n  branch main\n}\n");
}

TEST_CASE("mrp init makes a pipeline name from any folder name") {
  CHECK(mrp::pipeline_name_from("Orders_API") == "orders-api");
  CHECK(mrp::pipeline_name_from("--a..b--") == "a-b");
  CHECK(mrp::pipeline_name_from("2024 site") == "pipeline-2024-site");
  CHECK(mrp::pipeline_name_from("xn--shop") == "xn-shop");
  CHECK(mrp::pipeline_name_from("sthree-data") == "pipeline-sthree-data");
  CHECK(mrp::pipeline_name_from("ünïcode") == "n-code");
  CHECK(mrp::pipeline_name_from("") == "pipeline");
  CHECK(mrp::pipeline_name_from(std::string(50, 'a') + "-b") == std::string(35, 'a'));
}

TEST_CASE("mrp init guesses Go and Rust builds") {
  const auto build = [](const std::map<std::string, std::string>& manifests) {
    return mrp::write_spec({}, mrp::guess_build(manifests, {}, false));
  };
  CHECK(
      build({{"go.mod", "module example.com/x\n"}}) ==
      R"(# On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python, Go, Java, make, the SAM CLI).
build {
  run "go build ./..."  # guessed from go.mod
  run "go test ./..."  # guessed from go.mod
}
)");
  CHECK(
      build({{"Cargo.toml", "[package]\nname = \"x\"\n"}}) ==
      R"(# On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python, Go, Java, make, the SAM CLI).
build {
  # Guessed from Cargo.toml: the x86_64 CodeBuild images have no Rust, so rustup installs it.
  install "curl --proto =https --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y"
  run ". \"$HOME/.cargo/env\" && cargo build --release"  # guessed from Cargo.toml
}
)");
  CHECK(build({}) == "");
}

TEST_CASE("placeholder: each is an error that says what to put there, alone at its position") {
  const std::string spec = R"(pipeline shop {
  source codestar {
    connection <connection-arn>
    repo <owner/repo>
    branch main
  }
  regions <region>
  app shop-app { template template.yaml; parameter Stage <value-of-Stage> }
}
)";
  // Each placeholder alone at its position; `parameter` about the key still
  // stands, as would any problem elsewhere in the spec.
  CHECK(
      mrp::test::compile_errors(spec) ==
      R"(test.mrp:3:16: error: `<connection-arn>` is a placeholder mrp init wrote: put the ARN of your CodeStar connection here (console: Developer Tools, Settings, Connections) [placeholder]
    connection <connection-arn>
               ^
test.mrp:4:10: error: `<owner/repo>` is a placeholder mrp init wrote: put the repository here, as OWNER/NAME [placeholder]
    repo <owner/repo>
         ^
test.mrp:7:11: error: `<region>` is a placeholder mrp init wrote: put the regions to deploy to here, such as `us-east-1 eu-west-1`; the first is the home region [placeholder]
  regions <region>
          ^
test.mrp:8:52: error: app template `template.yaml` declares no parameters, so it cannot take `Stage` [parameter]
  app shop-app { template template.yaml; parameter Stage <value-of-Stage> }
                                                   ^
test.mrp:8:58: error: `<value-of-Stage>` is a placeholder mrp init wrote: put the value of the stack parameter `Stage` here [placeholder]
  app shop-app { template template.yaml; parameter Stage <value-of-Stage> }
                                                         ^
)");
  // What the placeholders replace: without the angle brackets the same words
  // are errors of their own rules at the same positions.
  const std::string plain = R"(pipeline shop {
  source codestar { connection connection-arn; repo owner/repo; branch main }
  regions region
  app shop-app { template template.yaml }
}
)";
  CHECK(mrp::test::compile_errors(plain).find("[source-value]") != std::string::npos);
  CHECK(mrp::test::compile_errors(plain).find("[unknown-region]") != std::string::npos);
  // A string is never a placeholder.
  CHECK(mrp::test::compile_errors(R"(pipeline shop {
  source codecommit { repo shop; branch main }
  regions us-east-1
  build { run "<build>" }
  app shop-app { template template.yaml }
}
)") == "");
}
