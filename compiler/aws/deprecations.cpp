#include "compiler/aws/deprecations.h"

#include <algorithm>
#include <array>

namespace mrp {
namespace {

// CodeBuild, "Deprecated CodeBuild images" (CodeBuild User Guide): the images
// and the dates the guide gives.
constexpr std::string_view ubuntu_now = "aws/codebuild/standard:7.0";
constexpr std::string_view al2_now = "aws/codebuild/amazonlinux-x86_64-standard:5.0";
constexpr std::string_view arm_now = "aws/codebuild/amazonlinux-aarch64-standard:3.0";
constexpr std::array<Deprecation, 5> images = {{
    {"aws/codebuild/amazonlinux2-x86_64-standard:3.0", {2023, 5, 9}, al2_now},
    {"aws/codebuild/standard:4.0", {2023, 3, 31}, ubuntu_now},
    {"aws/codebuild/amazonlinux2-aarch64-standard:1.0", {2023, 3, 31}, arm_now},
    {"aws/codebuild/standard:3.0", {2022, 6, 30}, ubuntu_now},
    {"aws/codebuild/amazonlinux2-x86_64-standard:2.0", {2022, 6, 30}, al2_now},
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

// Lambda, "Lambda runtimes" (Lambda Developer Guide): the deprecation date of
// each runtime, after which it gets no security patches and, later, can no
// longer be used to create or update functions.
constexpr std::string_view node_now = "nodejs22.x";
constexpr std::string_view python_now = "python3.13";
constexpr std::string_view java_now = "java21";
constexpr std::string_view dotnet_now = "dotnet8";
constexpr std::string_view ruby_now = "ruby3.3";
constexpr std::string_view provided_now = "provided.al2023";
constexpr std::array<Deprecation, 41> runtimes = {{
    {"nodejs20.x", {2026, 4, 30}, node_now},       {"nodejs18.x", {2025, 9, 1}, node_now},
    {"nodejs16.x", {2024, 6, 12}, node_now},       {"nodejs14.x", {2023, 12, 4}, node_now},
    {"nodejs12.x", {2023, 3, 31}, node_now},       {"nodejs10.x", {2021, 7, 30}, node_now},
    {"nodejs8.10", {2020, 3, 6}, node_now},        {"nodejs6.10", {2019, 8, 12}, node_now},
    {"nodejs4.3", {2020, 3, 5}, node_now},         {"nodejs4.3-edge", {2020, 3, 5}, node_now},
    {"nodejs", {2016, 10, 31}, node_now},          {"python3.11", {2026, 6, 30}, python_now},
    {"python3.10", {2026, 6, 30}, python_now},     {"python3.9", {2025, 12, 15}, python_now},
    {"python3.8", {2024, 10, 14}, python_now},     {"python3.7", {2023, 12, 4}, python_now},
    {"python3.6", {2022, 7, 18}, python_now},      {"python2.7", {2021, 7, 15}, python_now},
    {"java17", {2026, 6, 30}, java_now},           {"java11", {2026, 6, 30}, java_now},
    {"java8.al2", {2026, 6, 30}, java_now},        {"java8", {2024, 1, 8}, java_now},
    {"dotnet8", {2026, 11, 10}, "dotnet10"},       {"dotnet7", {2024, 5, 14}, dotnet_now},
    {"dotnet6", {2024, 11, 12}, dotnet_now},       {"dotnet5.0", {2022, 5, 10}, dotnet_now},
    {"dotnetcore3.1", {2023, 4, 3}, dotnet_now},   {"dotnetcore2.1", {2022, 1, 5}, dotnet_now},
    {"dotnetcore2.0", {2019, 5, 30}, dotnet_now},  {"dotnetcore1.0", {2019, 7, 27}, dotnet_now},
    {"ruby3.2", {2026, 3, 31}, ruby_now},          {"ruby2.7", {2023, 11, 27}, ruby_now},
    {"ruby2.5", {2021, 7, 30}, ruby_now},          {"go1.x", {2024, 1, 8}, provided_now},
    {"provided.al2", {2026, 6, 30}, provided_now}, {"provided", {2024, 1, 8}, provided_now},
    {"nodejs22.x", {2027, 4, 30}, "nodejs24.x"},   {"python3.12", {2028, 10, 31}, python_now},
    {"python3.13", {2029, 6, 30}, "python3.14"},   {"java21", {2029, 6, 30}, "java25"},
    {"ruby3.3", {2027, 3, 31}, "ruby3.4"},
}};

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
  const auto it = std::find_if(runtimes.begin(), runtimes.end(),
                               [&](const Deprecation& d) { return d.name == runtime; });
  return it == runtimes.end() ? nullptr : &*it;
}

const Deprecation& github_oauth_source_deprecation() { return github_oauth; }

}  // namespace mrp
