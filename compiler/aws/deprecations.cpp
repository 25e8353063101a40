#include "compiler/aws/deprecations.h"

#include <algorithm>
#include <array>
#include <optional>

namespace mrp {
namespace {

// CodeBuild, "Deprecated CodeBuild images" (CodeBuild User Guide): the images
// and the dates the guide gives; the guide listed these five, unchanged, on
// 2026-11-30. The replacement is the newest curated image of the same
// platform, from "Docker images provided by CodeBuild" (the same guide) and
// the image constants of aws-cdk-lib's LinuxBuildImage and LinuxArmBuildImage
// (2.276.0): standard:8.0 (Ubuntu), amazonlinux-x86_64-standard:6.0 and
// amazonlinux-aarch64-standard:4.0 (Amazon Linux 2023).
// To refresh: compare both pages with the tables below, add newly deprecated
// images with their dates, move the replacements to the newest images, and
// review the golden diffs (scripts/update-golden).
constexpr std::string_view ubuntu_now = "aws/codebuild/standard:8.0";
constexpr std::string_view al_x86_now = "aws/codebuild/amazonlinux-x86_64-standard:6.0";
constexpr std::string_view al_arm_now = "aws/codebuild/amazonlinux-aarch64-standard:4.0";
constexpr std::array<Deprecation, 5> images = {{
    {"aws/codebuild/amazonlinux2-x86_64-standard:3.0", {2023, 5, 9}, al_x86_now},
    {"aws/codebuild/standard:4.0", {2023, 3, 31}, ubuntu_now},
    {"aws/codebuild/amazonlinux2-aarch64-standard:1.0", {2023, 3, 31}, al_arm_now},
    {"aws/codebuild/standard:3.0", {2022, 6, 30}, ubuntu_now},
    {"aws/codebuild/amazonlinux2-x86_64-standard:2.0", {2022, 6, 30}, al_x86_now},
}};

// The first-generation images, one per language (aws/codebuild/nodejs:8.11.0
// and the like), ran Ubuntu 14.04 and were retired with it: standard support
// for Ubuntu 14.04 ended in April 2019, and CodeBuild's curated list has since
// named only the standard images.
constexpr std::array<std::string_view, 10> ubuntu_14_04_families = {
    "aws/codebuild/nodejs:",     "aws/codebuild/python:", "aws/codebuild/java:",
    "aws/codebuild/ruby:",       "aws/codebuild/golang:", "aws/codebuild/docker:",
    "aws/codebuild/dot-net:",    "aws/codebuild/php:",    "aws/codebuild/android-java-",
    "aws/codebuild/ubuntu-base:"};
constexpr Date ubuntu_14_04_end = {2019, 4, 30};

// Lambda runtimes. The identifiers are the `Runtime` enum of the Lambda API
// (what CloudFormation passes on, and rejects outside of it): botocore's
// lambda/2015-03-31/service-2.json, shape Runtime, 46 values in botocore
// 1.43. The dates are the deprecation dates of "Lambda runtimes" and of each
// language's page in the Lambda Developer Guide (supported and deprecated
// runtimes), read on 2026-11-30: from that day Lambda no longer patches the
// runtime, and some weeks later it blocks creating, then updating, functions
// with it. The Amazon Linux 2 runtimes' dates are the ones AWS moved when it
// extended their support (java8.al2, java11, java17 and python3.11 to
// 2027-06-30, python3.10 to its language's end in October 2026).
// To refresh: print the enum with
//   python3 -c "import botocore.session as s; print(s.get_session()
//     .get_service_model('lambda').shape_for('Runtime').enum)"
// add each new identifier at the head of its family (the head is what the
// family's deprecated runtimes recommend), copy the deprecation dates from the
// guide's tables, then run the unit tests and review the golden diffs.
struct RuntimeEntry {
  std::string_view name;
  std::optional<Date> deprecated;  ///< empty: Lambda has scheduled none
};
constexpr std::array<RuntimeEntry, 46> runtimes = {{
    // Node.js
    {"nodejs24.x", Date{2028, 4, 30}},
    {"nodejs22.x", Date{2027, 4, 30}},
    {"nodejs20.x", Date{2026, 4, 30}},
    {"nodejs18.x", Date{2025, 9, 1}},
    {"nodejs16.x", Date{2024, 6, 12}},
    {"nodejs14.x", Date{2023, 12, 4}},
    {"nodejs12.x", Date{2023, 3, 31}},
    {"nodejs10.x", Date{2021, 7, 30}},
    {"nodejs8.10", Date{2020, 3, 6}},
    {"nodejs6.10", Date{2019, 8, 12}},
    {"nodejs4.3", Date{2020, 3, 5}},
    {"nodejs4.3-edge", Date{2019, 4, 30}},
    {"nodejs", Date{2016, 10, 31}},
    // Python
    {"python3.14", Date{2029, 6, 30}},
    {"python3.13", Date{2029, 6, 30}},
    {"python3.12", Date{2028, 10, 31}},
    {"python3.11", Date{2027, 6, 30}},
    {"python3.10", Date{2026, 10, 31}},
    {"python3.9", Date{2025, 12, 15}},
    {"python3.8", Date{2024, 10, 14}},
    {"python3.7", Date{2023, 12, 4}},
    {"python3.6", Date{2022, 7, 18}},
    {"python2.7", Date{2021, 7, 15}},
    // Java
    {"java25", Date{2029, 6, 30}},
    {"java21", Date{2029, 6, 30}},
    {"java17", Date{2027, 6, 30}},
    {"java11", Date{2027, 6, 30}},
    {"java8.al2", Date{2027, 6, 30}},
    {"java8", Date{2024, 1, 8}},
    // .NET (.NET 5, 7 and 9 were container images only, never identifiers)
    {"dotnet10", Date{2028, 11, 14}},
    {"dotnet8", Date{2026, 11, 10}},
    {"dotnet6", Date{2024, 12, 20}},
    {"dotnetcore3.1", Date{2023, 4, 3}},
    {"dotnetcore2.1", Date{2022, 1, 5}},
    {"dotnetcore2.0", Date{2019, 5, 30}},
    {"dotnetcore1.0", Date{2019, 7, 27}},
    // Ruby
    {"ruby4.0", Date{2029, 3, 31}},
    {"ruby3.4", Date{2028, 3, 31}},
    {"ruby3.3", Date{2027, 3, 31}},
    {"ruby3.2", Date{2026, 3, 31}},
    {"ruby2.7", Date{2023, 12, 7}},
    {"ruby2.5", Date{2021, 7, 30}},
    // OS-only runtimes; Go moved to them when go1.x was deprecated.
    {"provided.al2023", Date{2029, 6, 30}},
    {"provided.al2", Date{2026, 6, 30}},
    {"provided", Date{2024, 1, 8}},
    {"go1.x", Date{2024, 1, 8}},
}};

// The family heads: each runtime's replacement is the first runtime above it
// whose name is one of these.
constexpr std::array<std::string_view, 6> family_heads = {
    "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0", "provided.al2023"};

const std::array<Deprecation, runtimes.size()>& runtime_deprecations() {
  static const std::array<Deprecation, runtimes.size()> table = [] {
    std::array<Deprecation, runtimes.size()> out{};
    std::string_view head;
    for (std::size_t i = 0; i < runtimes.size(); ++i) {
      const auto& r = runtimes[i];
      const bool is_head =
          std::find(family_heads.begin(), family_heads.end(), r.name) != family_heads.end();
      if (is_head) head = r.name;
      out[i] = {r.name, r.deprecated.value_or(Date{}), is_head ? std::string_view{} : head};
    }
    return out;
  }();
  return table;
}

const std::array<std::string_view, runtimes.size()> runtime_names = [] {
  std::array<std::string_view, runtimes.size()> out{};
  for (std::size_t i = 0; i < runtimes.size(); ++i) out[i] = runtimes[i].name;
  return out;
}();

// CodePipeline, "GitHub (via OAuth app) source action" (CodePipeline User
// Guide): not recommended since connections (GitHub via GitHub App) became
// generally available for GitHub; the table dates that to September 2020.
constexpr Deprecation github_oauth = {"GitHub (via OAuth app) source action",
                                      {2020, 9, 30},
                                      "a CodeStar connection (GitHub via GitHub App)"};

}  // namespace

const Deprecation* find_image_deprecation(std::string_view image) {
  for (const auto& d : images)
    if (d.name == image) return &d;
  static std::array<Deprecation, ubuntu_14_04_families.size()> families = [] {
    std::array<Deprecation, ubuntu_14_04_families.size()> out{};
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = {ubuntu_14_04_families[i], ubuntu_14_04_end, ubuntu_now};
    return out;
  }();
  const auto it = std::find_if(families.begin(), families.end(), [&](const Deprecation& d) {
    return image.substr(0, d.name.size()) == d.name;
  });
  return it == families.end() ? nullptr : &*it;
}

const Deprecation* find_runtime_deprecation(std::string_view runtime) {
  for (std::size_t i = 0; i < runtimes.size(); ++i)
    if (runtimes[i].name == runtime)
      return runtimes[i].deprecated ? &runtime_deprecations()[i] : nullptr;
  return nullptr;
}

bool is_known_runtime(std::string_view runtime) {
  return std::find(runtime_names.begin(), runtime_names.end(), runtime) != runtime_names.end();
}

std::span<const std::string_view> known_runtimes() { return runtime_names; }

const Deprecation& github_oauth_source_deprecation() { return github_oauth; }

}  // namespace mrp
