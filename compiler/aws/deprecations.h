#pragma once
// The dated table of what AWS has deprecated and mrp warns about, and the
// Lambda runtime identifiers Lambda accepts. Each deprecation carries the date
// from which it holds and what replaces it; `--as-of DATE` evaluates the table
// on another day. deprecations.cpp says where each table comes from and how
// to refresh it.

#include <span>
#include <string_view>

#include "compiler/base/date.h"

namespace mrp {

struct Deprecation {
  std::string_view name;         ///< the image, runtime or action as written
  Date since;                    ///< deprecated from this day on
  std::string_view replacement;  ///< what to use instead; "" when no newer one is known
};

/// The entry for a CodeBuild image, or nullptr when it is not deprecated.
const Deprecation* find_image_deprecation(std::string_view image);

/// The entry for a Lambda runtime identifier with a deprecation date (past or
/// scheduled), or nullptr.
const Deprecation* find_runtime_deprecation(std::string_view runtime);

/// Whether Lambda knows `runtime` as a runtime identifier (deprecated ones
/// included): CloudFormation rejects a function with any other.
bool is_known_runtime(std::string_view runtime);

/// Every runtime identifier Lambda knows, the newest of each family first.
std::span<const std::string_view> known_runtimes();

/// The GitHub (via OAuth app, version 1) source action.
const Deprecation& github_oauth_source_deprecation();

}  // namespace mrp
