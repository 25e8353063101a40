#pragma once
// Running a program such as git without a shell, for what it prints.

#include <optional>
#include <string>
#include <vector>

namespace mrp {

/// Runs `argv` (argv[0] looked up on PATH) with stdin and stderr on
/// /dev/null, and returns its standard output when it exits with status 0;
/// nothing when it cannot be started (not installed), fails, or prints more
/// than a few kilobytes.
std::optional<std::string> program_output(const std::vector<std::string>& argv);

}  // namespace mrp
