// `mrp init`: the first spec of a repository, from what repo_survey finds in
// it and init_spec makes of that. Written once: an existing spec is never
// touched.

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "compiler/aws/regions.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/writer.h"
#include "compiler/init/init_spec.h"
#include "compiler/init/repo_survey.h"

namespace mrp {
namespace fs = std::filesystem;

namespace {

constexpr const char* spec_file = "pipeline.mrp";

int usage_error(const std::string& message) {
  fmt::print(stderr, "mrp: error: {}\n", message);
  return exit_usage_or_io;
}

// The regions of --regions, each a commercial region and given once; the
// first problem, or "".
std::string region_problem(const std::vector<std::string>& regions) {
  for (auto it = regions.begin(); it != regions.end(); ++it) {
    if (!is_commercial_region(*it))
      return fmt::format("--regions: `{}` is not a commercial AWS region code, such as us-east-1",
                         *it);
    if (std::find(regions.begin(), it, *it) != it)
      return fmt::format("--regions: `{}` is given twice", *it);
  }
  return "";
}

// Said whether the spec was there when init started or appeared while it
// surveyed the repository.
std::string spec_exists(const std::string& shown) {
  return shown + " exists; mrp init does not overwrite a spec";
}

void print_summary(const std::string& shown, const InitSpec& spec) {
  fmt::print("mrp: wrote {}\n", shown);
  if (spec.placeholders.empty()) {
    fmt::print("mrp: check its guesses, then run: mrp build {}\n", shown);
    return;
  }
  std::string list;
  for (const auto& p : spec.placeholders) list += (list.empty() ? "" : ", ") + p;
  fmt::print("mrp: {} placeholder{} to replace: {}\n", spec.placeholders.size(),
             spec.placeholders.size() == 1 ? "" : "s", list);
  fmt::print("mrp: `mrp lint {}` points at each; then run: mrp build {}\n", shown, shown);
}

}  // namespace

int run_init(const InitCommand& cmd) {
  const fs::path dir(cmd.dir);
  const std::string shown = (dir / spec_file).lexically_normal().generic_string();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return usage_error(cmd.dir + " is not a folder");
  // Looked for first, so that an existing spec is what is reported, before
  // the survey runs programs; write_new_file makes sure as it writes.
  if (path_taken(dir / spec_file)) return usage_error(spec_exists(shown));
  if (const std::string problem = region_problem(cmd.regions); !problem.empty())
    return usage_error(problem);
  const auto survey = survey_repo(dir, cmd.regions.empty());
  if (!survey.ok()) return usage_error(survey.error());
  const auto spec = init_spec(survey.value(), cmd.regions);
  if (!spec.ok()) return usage_error(fmt::format("{}: {}", cmd.dir, spec.error()));
  const auto written = write_new_file(dir / spec_file, spec.value().text);
  if (!written.ok()) return usage_error(written.error());
  if (!written.value()) return usage_error(spec_exists(shown));
  print_summary(shown, spec.value());
  return exit_ok;
}

}  // namespace mrp
