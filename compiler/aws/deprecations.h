#pragma once
// The dated table of what AWS has deprecated and mrp warns about. Each entry
// carries the date from which it is deprecated, what replaces it and where the
// date comes from; `--as-of DATE` evaluates the table on another day.

#include <string_view>

#include "compiler/base/date.h"

namespace mrp {

struct Deprecation {
  std::string_view name;         ///< the image, runtime or action as written
  Date since;                    ///< deprecated from this day on
  std::string_view replacement;  ///< what to use instead
};

/// The entry for a CodeBuild image, or nullptr when it is not deprecated.
const Deprecation* find_image_deprecation(std::string_view image);

/// The entry for a Lambda runtime identifier, or nullptr.
const Deprecation* find_runtime_deprecation(std::string_view runtime);

/// The GitHub (via OAuth app, version 1) source action.
const Deprecation& github_oauth_source_deprecation();

}  // namespace mrp
