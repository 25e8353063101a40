#pragma once

#include <string_view>

namespace mrp {

/// Whether `code` is a commercial AWS region (partition `aws`) that CodePipeline
/// can target. GovCloud and China are other partitions, whose ARNs these
/// templates do not produce.
bool is_commercial_region(std::string_view code);

}  // namespace mrp
