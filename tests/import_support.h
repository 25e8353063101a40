#pragma once
// What the tests of mrp import share: the hand-written 2018 example, read
// from ../shared/reference/original at test time (never copied into the
// project), edits of its text for variants, and the round trip through
// mrp build.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/cli/driver.h"

namespace mrp::test {

/// A folder's files by path relative to it.
using Files = std::map<std::string, std::string>;

/// The deprecation table is read for a fixed day.
inline constexpr Date import_test_day{2026, 11, 26};

/// The hand-written example's folder: `shared/reference/original` beside the
/// source folder or a folder above it; nothing when it is not there.
std::optional<std::filesystem::path> find_original_dir();
/// Where it was looked for, for a message.
std::string missing_original_path();
/// The example's folder; fails the test when it is not there.
std::filesystem::path original_dir();
/// Every file of that folder.
Files original_files();
/// The spec mrp import writes for it.
extern const std::string imported_original;

/// `text` with `from` replaced by `to` each time it occurs; fails the test
/// unless it occurs exactly `times` times.
std::string replaced(std::string text, std::string_view from, std::string_view to,
                     std::size_t times = 1);
/// replaced() on one file of `files`.
void edit(Files& files, const std::string& file, std::string_view from, std::string_view to,
          std::size_t times = 1);

struct Imported {
  std::optional<std::string> spec;
  std::string findings;  ///< as the command line prints them
};
Imported import_files(const Files& files);

/// Fails with the diff when the texts differ.
void check_text(const std::string& expected, const std::string& actual);

/// The files `mrp build` writes from `spec` in the folder of `files`.
Outputs build(const std::string& spec, const Files& files);

/// What a pipeline template deploys, whatever its layout: the build's image
/// and compute type, then its stages in order, each with its OnFailure and
/// its source, deploy (region, stack, capabilities, ActionMode) and approval
/// (topic, timeout) actions by the rank of their RunOrder.
std::string deployed_pipeline(const std::string& pipeline_yaml);

/// Imports `files`, checks the spec and the findings, builds the spec and
/// checks that it deploys what the hand-written pipeline.yaml of `files` does.
void round_trip(const Files& files, const std::string& expected_spec,
                const std::string& expected_findings = "");

/// The outputs are golden/multi-region-codepipeline/, byte for byte.
void check_golden(const Outputs& outputs);

}  // namespace mrp::test
