#include "compiler/cli/report.h"

#include <nlohmann/json.hpp>

#include "compiler/base/rules.h"

namespace mrp {
namespace {

using nlohmann::json;

std::size_t column_of(const FileReport& r, const Diagnostic& d) {
  const std::string* other = r.diags.source_of(d.pos.file);
  return display_column(d, other ? std::string_view(*other) : std::string_view(r.source));
}

std::string text_report(const std::vector<FileReport>& reports) {
  std::string out;
  for (const auto& r : reports) out += render_all(r.diags, r.source);
  return out;
}

json json_report(const std::vector<FileReport>& reports) {
  json list = json::array();
  for (const auto& r : reports) {
    for (const auto& d : r.diags.all()) {
      list.push_back({{"file", d.pos.file},
                      {"line", d.pos.line},
                      {"column", column_of(r, d)},
                      {"severity", severity_name(d.severity)},
                      {"rule", d.rule},
                      {"message", d.message}});
    }
  }
  return list;
}

// SARIF 2.1.0 (OASIS): one run, the rules as the driver's reportingDescriptors,
// and a result per diagnostic with its physical location.
json sarif_report(const std::vector<FileReport>& reports) {
  json rules = json::array();
  for (const auto& r : all_rules)
    rules.push_back({{"id", r.id}, {"shortDescription", {{"text", r.summary}}}});
  json results = json::array();
  for (const auto& r : reports) {
    for (const auto& d : r.diags.all()) {
      json region = {{"startLine", d.pos.line}, {"startColumn", column_of(r, d)}};
      json location = {
          {"physicalLocation", {{"artifactLocation", {{"uri", d.pos.file}}}, {"region", region}}}};
      results.push_back({{"ruleId", d.rule},
                         {"level", severity_name(d.severity)},
                         {"message", {{"text", d.message}}},
                         {"locations", json::array({location})}});
    }
  }
  json driver = {{"name", "mrp"}, {"version", MRP_VERSION}, {"rules", rules}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({{{"tool", {{"driver", driver}}},
                                 {"columnKind", "unicodeCodePoints"},
                                 {"results", results}}})}};
}

}  // namespace

std::string render_report(const std::vector<FileReport>& reports, ReportFormat format) {
  // JSON is UTF-8, but a file name is any bytes and an app template is read as
  // it is: a byte that is not UTF-8 becomes U+FFFD rather than an exception.
  constexpr auto replace = json::error_handler_t::replace;
  switch (format) {
    case ReportFormat::json:
      return json_report(reports).dump(2, ' ', false, replace) + "\n";
    case ReportFormat::sarif:
      return sarif_report(reports).dump(2, ' ', false, replace) + "\n";
    case ReportFormat::text:
      break;
  }
  return text_report(reports);
}

}  // namespace mrp
