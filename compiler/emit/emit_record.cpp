// deployment-pipeline/deployed.json: what the files deploy, and what waits to
// be retired (README, "Changing regions").

#include "compiler/emit/emit_record.h"

#include "compiler/emit/emit.h"

namespace mrp {

nlohmann::ordered_json deployed_stack_json(const DeployedStack& d) {
  nlohmann::ordered_json e = {
      {"kind", kind_name(d.kind)}, {"region", d.region}, {"stack", d.stack}};
  if (d.kind == DeployedStack::Kind::buckets) e["buckets"] = d.buckets;
  if (!d.account.empty()) e["account"] = d.account;
  return e;
}

namespace {

using Json = nlohmann::ordered_json;

Json entries(const std::vector<DeployedStack>& list) {
  Json out = Json::array();
  for (const auto& d : list) out.push_back(deployed_stack_json(d));
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
