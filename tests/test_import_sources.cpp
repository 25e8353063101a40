// mrp import of the example with another source than GitHub, as a
// hand-written pipeline.yaml would say it: CodeCommit and S3. Each maps to an
// exact spec that builds a pipeline with the same source.

#include <doctest/doctest.h>

#include "tests/import_support.h"
#include "tests/support.h"

using namespace mrp::test;

TEST_SUITE_BEGIN("import" * doctest::skip(!find_original_dir()));

namespace {

const std::string pipeline = "deployment-pipeline/pipeline.yaml";

// The example with a source action of `provider`, owned by AWS, configured by
// `config` (lines of its own), and without the GitHub webhook.
Files with_source(const std::string& provider, const std::string& config) {
  Files f = original_files();
  std::string& text = f.at(pipeline);
  const auto from = text.find("  GithubWebhook:\n");
  const auto to = text.find("  CodePipeline:\n");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  text.erase(from, to - from);
  edit(f, pipeline,
       "            Owner: ThirdParty\n            Version: 1\n            Provider: GitHub\n",
       "            Owner: AWS\n            Version: 1\n            Provider: " + provider + "\n");
  edit(f, pipeline,
       "            Owner: !Ref GitHubOwner\n            Repo: !Ref GitHubRepo\n"
       "            Branch: !Ref GitHubBranch\n            PollForSourceChanges: false\n"
       "            OAuthToken: !Ref GitHubOAuthToken\n",
       config);
  return f;
}

// The example's spec with `source` in place of its GitHub source and comment.
std::string spec_with(const std::string& source) {
  return replaced(imported_original,
                  "  # The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now "
                  "reads it from\n  # GITHUB_TOKEN, or the template from Secrets Manager with "
                  "`token-secret`.\n  source github {\n    owner symphoniacloud\n    repo "
                  "multi-region-codepipeline\n    branch master\n  }\n",
                  source);
}

}  // namespace

TEST_CASE("import: a CodeCommit source") {
  round_trip(with_source("CodeCommit",
                         "            RepositoryName: orders\n            BranchName: main\n"
                         "            PollForSourceChanges: false\n"),
             spec_with("  source codecommit {\n    repo orders\n    branch main\n  }\n"));
}

TEST_CASE("import: an S3 source") {
  round_trip(
      with_source("S3",
                  "            S3Bucket: acme-releases\n"
                  "            S3ObjectKey: orders/source.zip\n"
                  "            PollForSourceChanges: false\n"),
      spec_with("  source s3 {\n    bucket acme-releases\n    key orders/source.zip\n  }\n"));
}
