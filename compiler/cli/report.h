#pragma once
// Lint reports for many files at once, as text, JSON or SARIF 2.1.0.

#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"

namespace mrp {

/// One linted file: its name as given, its text (for source lines) and what
/// was found in it.
struct FileReport {
  std::string file;
  std::string source;
  Diagnostics diags;
};

enum class ReportFormat { text, json, sarif };

/// The diagnostics of every file in `reports`, in `format`. Text is what
/// `mrp build` prints; JSON is a list of {file, line, column, severity, rule,
/// message}; SARIF lists every rule of compiler/base/rules.h and one result per
/// diagnostic.
std::string render_report(const std::vector<FileReport>& reports, ReportFormat format);

}  // namespace mrp
