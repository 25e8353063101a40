#include "compiler/aws/regions.h"

#include <algorithm>
#include <array>

namespace mrp {
namespace {

// Commercial regions from the AWS General Reference, "AWS Regions".
constexpr std::array<std::string_view, 34> commercial_regions = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",   "eu-north-1",
    "eu-south-1",     "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",
    "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2"};

}  // namespace

bool is_commercial_region(std::string_view code) {
  return std::find(commercial_regions.begin(), commercial_regions.end(), code) !=
         commercial_regions.end();
}

std::vector<std::string_view> commercial_region_codes() {
  return {commercial_regions.begin(), commercial_regions.end()};
}

}  // namespace mrp
