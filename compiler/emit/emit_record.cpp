// deployment-pipeline/deployed.json: what the files deploy, and what waits to
// be retired (docs/deployed-record.md).

#include <nlohmann/json.hpp>

#include "compiler/emit/emit.h"

namespace mrp {

namespace {

using Json = nlohmann::ordered_json;

Json entries(const std::vector<DeployedStack>& list) {
  Json out = Json::array();
  for (const auto& d : list) {
    Json e = {{"kind", kind_name(d.kind)}, {"region", d.region}, {"stack", d.stack}};
    if (d.kind == DeployedStack::Kind::buckets) e["buckets"] = d.buckets;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::string emit_record(const Ir& ir) {
  const Json record = {
      {"about",
       "What the files in this folder deploy, written by mrp build from " + ir.spec_path +
           ": mrp reads it to plan the next change and to keep the pipeline in its region; "
           "retire.sh deletes what is under `retiring`. Change the spec, not this file."},
      {"version", 1},
      {"deploys", entries(ir.record.deploys)},
      {"retiring", entries(ir.record.retiring)}};
  return record.dump(2) + "\n";
}

}  // namespace mrp
