#pragma once
// deployment-pipeline/deployed.json's entries as JSON, for the record and for
// the plan `--format json` prints.

#include <nlohmann/json.hpp>

#include "compiler/ir/record.h"

namespace mrp {

/// `{"kind", "region", "stack"}`, and `"buckets"` for a bucket stack.
nlohmann::ordered_json deployed_stack_json(const DeployedStack& d);

}  // namespace mrp
