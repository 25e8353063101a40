#pragma once

#include <string_view>
#include <vector>

namespace mrp {

/// Whether `code` is a commercial AWS region (partition `aws`) that CodePipeline
/// can target. GovCloud and China are other partitions, whose ARNs these
/// templates do not produce.
bool is_commercial_region(std::string_view code);

/// Every commercial region code, for suggestions.
std::vector<std::string_view> commercial_region_codes();

}  // namespace mrp
