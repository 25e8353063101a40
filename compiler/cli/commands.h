#pragma once
// The commands of the `mrp` executable. Each returns the process's exit
// status: 0 success, 1 problems in a spec (or stale files, or unformatted
// specs), 2 usage or I/O errors.

#include <string>
#include <vector>

#include "compiler/base/date.h"
#include "compiler/cli/report.h"
#include "compiler/emit/emit_graph.h"

namespace mrp {

inline constexpr int exit_ok = 0;
inline constexpr int exit_findings = 1;
inline constexpr int exit_usage_or_io = 2;

/// How build and check print the plan: for people, or as JSON for CI.
enum class PlanFormat { text, json };

struct BuildCommand {
  std::string spec;
  std::string output_dir;  ///< "" for the spec's folder
  bool dump_ir = false;
  bool forget_retired = false;  ///< retire.sh has deleted what the record kept
  PlanFormat format = PlanFormat::text;
};

struct LintCommand {
  std::vector<std::string> files;
  ReportFormat format = ReportFormat::text;
  bool werror = false;
  Date as_of = Date::today();
};

struct CheckCommand {
  std::vector<std::string> specs;
  std::string output_dir;  ///< "" for each spec's folder; only with one spec
  PlanFormat format = PlanFormat::text;
};

struct FmtCommand {
  std::vector<std::string> files;
  bool check = false;  ///< show the diff and fail instead of writing
};

struct GraphCommand {
  std::string spec;
  GraphFormat format = GraphFormat::mermaid;
  std::string output;  ///< "" for stdout
};

struct InitCommand {
  std::string dir = ".";             ///< the repository to write pipeline.mrp into
  std::vector<std::string> regions;  ///< --regions; none to read the AWS CLI's
};

struct ImportCommand {
  std::string dir;     ///< the folder that holds deployment-pipeline/
  std::string output;  ///< "" for DIR/pipeline.mrp, "-" for stdout
};

/// `mrp build`: compile one spec and write every file, or nothing.
int run_build(const BuildCommand& cmd);

/// `mrp lint`: parse, lower and check every file; write nothing.
int run_lint(const LintCommand& cmd);

/// `mrp check`: render each spec in memory and diff against the files on
/// disk; write nothing.
int run_check(const CheckCommand& cmd);

/// `mrp fmt`: rewrite specs in the canonical layout, or with `check` show the
/// diff of those that are not.
int run_fmt(const FmtCommand& cmd);

/// `mrp graph`: compile one spec and draw its pipeline, on stdout or into one
/// file, written whole or not at all.
int run_graph(const GraphCommand& cmd);

/// `mrp init`: write a first pipeline.mrp for the repository in `dir`, from
/// its app templates, build manifests, git remote and region; never over an
/// existing spec.
int run_init(const InitCommand& cmd);

/// `mrp import`: read a hand-written 2018 layout and write the equivalent
/// spec, never over an existing file; what cannot be carried over is reported
/// as warnings with positions in the hand-written files.
int run_import(const ImportCommand& cmd);

}  // namespace mrp
