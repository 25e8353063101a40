#pragma once

#include <cstddef>
#include <string>

namespace mrp {

/// A place in a spec file (or in a file the spec names, such as an app
/// template). `line` and `column` are one-based; `column` counts bytes, as the
/// parser sees them (diagnostics convert it for display).
struct SourcePos {
  std::string file;
  std::size_t line = 1;
  std::size_t column = 1;
  std::size_t byte = 0;  ///< offset of the position in the file
};

}  // namespace mrp
