#pragma once
// `mrp graph`: the pipeline as a picture, drawn from the same IR and the same
// list of stage actions as pipeline.yaml.

#include <string>
#include <string_view>

#include "compiler/ir/ir.h"

namespace mrp {

enum class GraphFormat {
  mermaid,  ///< a Mermaid flowchart, which GitHub and GitLab render in Markdown
  dot,      ///< Graphviz DOT, for `dot -Tsvg`
};

/// The pipeline's stages and actions as a graph: the source, the build, then
/// each wave's stage with its approvals and each region's stack actions, in
/// run order. The same IR gives the same bytes.
std::string emit_graph(const Ir& ir, GraphFormat format);

/// `text` as the inside of a quoted label of `format`: every character the
/// format treats specially is escaped, and a line break becomes the format's.
std::string graph_label(std::string_view text, GraphFormat format);

}  // namespace mrp
