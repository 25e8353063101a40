#include "compiler/emit/emit_graph.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "compiler/emit/pipeline_parts.h"

namespace mrp {

using pipeline_parts::StageAction;

std::string graph_label(std::string_view text, GraphFormat format) {
  std::string out;
  for (const char c : text) {
    if (format == GraphFormat::dot) {
      // DOT's escString: a backslash starts an escape (\n, \l, \N, …) and a
      // raw line break inside quotes would be kept as it is.
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          break;
        default:
          out += c;
      }
      continue;
    }
    // Mermaid reads `#NAME;` and `#NUMBER;` as entities and labels as HTML,
    // so `#`, `"`, `<`, `>`, `&` and the backtick of Markdown strings are
    // written as numeric entities; a line break is <br/>.
    switch (c) {
      case '"':
        out += "#34;";
        break;
      case '#':
        out += "#35;";
        break;
      case '&':
        out += "#38;";
        break;
      case '<':
        out += "#60;";
        break;
      case '>':
        out += "#62;";
        break;
      case '`':
        out += "#96;";
        break;
      case '\n':
        out += "<br/>";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// A node's or a cluster's label: lines of plain text, escaped when written.
using Lines = std::vector<std::string>;

std::string label_text(const Lines& lines, GraphFormat format) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += format == GraphFormat::dot ? "\\n" : "<br/>";
    out += graph_label(line, format);
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// "branches main, release/*, not release/old": what a trigger's filter lets through.
void add_filter(std::vector<std::string>& parts, std::string_view what, const GitFilter& f) {
  if (f.empty()) return;
  std::string part(what);
  if (!f.includes.empty()) part += fmt::format(" {}", joined(f.includes));
  if (!f.excludes.empty())
    part += fmt::format("{} not {}", f.includes.empty() ? "" : ",", joined(f.excludes));
  parts.push_back(std::move(part));
}

std::string trigger_line(const GitTrigger& t) {
  std::string out = t.event == GitTrigger::Event::push
                        ? std::string("trigger push")
                        : fmt::format("trigger pull request {}", joined(t.pull_request_events));
  std::vector<std::string> parts;
  add_filter(parts, "branches", t.branches);
  add_filter(parts, "tags", t.tags);
  add_filter(parts, "file paths", t.file_paths);
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? ": " : "; ") + parts[i];
  return out;
}

Lines source_lines(const Source& s) {
  Lines out{"Source"};
  switch (s.kind) {
    case SourceKind::github:
      out.push_back(fmt::format("GitHub {}/{}", s.owner, s.repo));
      break;
    case SourceKind::codestar:
      out.push_back(fmt::format("CodeStar connection {}", s.repo));
      break;
    case SourceKind::codecommit:
      out.push_back(fmt::format("CodeCommit {}", s.repo));
      break;
    case SourceKind::s3:
      out.push_back(fmt::format("S3 s3://{}/{}", s.bucket, s.key));
      break;
  }
  if (s.kind != SourceKind::s3) out.push_back("branch " + s.branch);
  switch (s.kind) {
    case SourceKind::github:
      out.emplace_back("started by a GitHub webhook");
      break;
    case SourceKind::codestar:
      out.emplace_back(s.triggers.empty() ? "started on push" : "started by its triggers");
      break;
    case SourceKind::codecommit:
      out.emplace_back("started by an EventBridge rule on a push");
      break;
    case SourceKind::s3:
      out.emplace_back("started by an EventBridge rule on a new object");
      break;
  }
  // The pipeline's V2 triggers: only changes they let through start it.
  for (const auto& t : s.triggers) out.push_back(trigger_line(t));
  return out;
}

Lines build_lines(const Ir& ir) {
  return {"Build", "CodeBuild project " + ir.build.project_name, "image " + ir.build.image,
          "in " + ir.home_region().code + ", the home region"};
}

std::string region_title(const Ir& ir, std::size_t r) {
  return r == ir.home ? ir.regions[r].code + " (home region)" : ir.regions[r].code;
}

Lines stage_title(const Wave& w) {
  // A wave in another account deploys there, not beside the pipeline: the
  // stage says so, as its actions alone would not.
  Lines out{w.account.empty() ? "Stage " + w.stage_name
                              : fmt::format("Stage {} (account {})", w.stage_name, w.account)};
  if (w.rollback) out.emplace_back("rolls back on failure");
  return out;
}

Lines action_lines(const Ir& ir, const StageAction& a) {
  Lines out{a.name};
  if (a.is_approval()) {
    out.emplace_back(a.kind == StageAction::Kind::approval ? "manual approval"
                                                           : "manual review of the change sets");
    if (!a.approval->topic_arn.empty()) out.push_back("notifies " + a.approval->topic_arn);
    if (a.approval->timeout_minutes)
      out.push_back(fmt::format("times out after {} minutes", *a.approval->timeout_minutes));
  } else {
    out.push_back("stack " + a.app->stack_name);
    // `after` is why the action has the run order it has.
    if (!a.app->after.empty()) out.push_back(fmt::format("after {}", joined(a.app->after)));
    out.push_back(a.kind == StageAction::Kind::deploy
                      ? std::string(a.mode())
                      : fmt::format("{} {}", a.mode(), ir.change_set_name));
  }
  out.push_back(fmt::format("run order {}", a.run_order));
  return out;
}

// The graph's nodes, clusters and edges, written in one format or the other.
struct Node {
  std::string id;
  Lines label;
};

struct Cluster {
  std::string id;
  Lines label;
  std::vector<Node> nodes;
  std::vector<Cluster> clusters;
};

struct Edge {
  std::string from, to;
  // The clusters the edge leaves and enters, for an edge between stages.
  std::string from_cluster, to_cluster;
};

struct Graph {
  std::vector<Node> nodes;
  std::vector<Cluster> clusters;
  std::vector<Edge> edges;
};

std::string action_id(std::size_t stage, std::size_t action) {
  return fmt::format("stage{}_action{}", stage + 1, action + 1);
}

// Within a stage an action follows those of the run order before its own, in
// its own region; an approval, which has no region, follows and precedes them all.
void stage_edges(const std::vector<StageAction>& actions, std::size_t stage,
                 std::vector<Edge>& edges) {
  for (std::size_t j = 0; j < actions.size(); ++j) {
    const StageAction& to = actions[j];
    int previous = 0;
    for (const auto& from : actions)
      if (from.run_order < to.run_order) previous = std::max(previous, from.run_order);
    for (std::size_t i = 0; i < actions.size(); ++i) {
      const StageAction& from = actions[i];
      if (from.run_order != previous) continue;
      if (from.is_approval() || to.is_approval() || from.region == to.region)
        edges.push_back({action_id(stage, i), action_id(stage, j), "", ""});
    }
  }
}

Graph make_graph(const Ir& ir) {
  Graph g;
  g.nodes.push_back({"source", source_lines(ir.source)});
  g.nodes.push_back({"build", build_lines(ir)});
  g.edges.push_back({"source", "build", "", ""});
  std::string previous_node = "build", previous_cluster;
  for (std::size_t s = 0; s < ir.waves.size(); ++s) {
    const Wave& w = ir.waves[s];
    const auto actions = pipeline_parts::stage_actions(ir, w);
    Cluster stage{fmt::format("stage{}", s + 1), stage_title(w), {}, {}};
    for (std::size_t r : w.regions)
      stage.clusters.push_back(
          {fmt::format("{}_region{}", stage.id, r + 1), {region_title(ir, r)}, {}, {}});
    for (std::size_t i = 0; i < actions.size(); ++i) {
      Node n{action_id(s, i), action_lines(ir, actions[i])};
      if (actions[i].is_approval()) {
        stage.nodes.push_back(std::move(n));
        continue;
      }
      // A wave lists a region once: the action goes into that region's cluster.
      const auto k = static_cast<std::size_t>(
          std::find(w.regions.begin(), w.regions.end(), actions[i].region) - w.regions.begin());
      stage.clusters.at(k).nodes.push_back(std::move(n));
    }
    if (!actions.empty()) {
      g.edges.push_back({previous_node, action_id(s, 0), previous_cluster, stage.id});
      previous_node = action_id(s, actions.size() - 1);
      previous_cluster = stage.id;
    }
    stage_edges(actions, s, g.edges);
    g.clusters.push_back(std::move(stage));
  }
  return g;
}

std::string indent(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

void mermaid_cluster(std::string& out, const Cluster& c, int depth) {
  out += fmt::format("{}subgraph {}[\"{}\"]\n", indent(depth), c.id,
                     label_text(c.label, GraphFormat::mermaid));
  for (const auto& n : c.nodes)
    out += fmt::format("{}{}[\"{}\"]\n", indent(depth + 1), n.id,
                       label_text(n.label, GraphFormat::mermaid));
  for (const auto& inner : c.clusters) mermaid_cluster(out, inner, depth + 1);
  out += indent(depth) + "end\n";
}

std::string mermaid(const Graph& g) {
  std::string out = "flowchart LR\n";
  for (const auto& n : g.nodes)
    out += fmt::format("  {}[\"{}\"]\n", n.id, label_text(n.label, GraphFormat::mermaid));
  for (const auto& c : g.clusters) mermaid_cluster(out, c, 1);
  // Between stages the arrow joins the stages themselves: the whole stage
  // waits for the one before.
  for (const auto& e : g.edges)
    out += fmt::format("  {} --> {}\n", e.from_cluster.empty() ? e.from : e.from_cluster,
                       e.to_cluster.empty() ? e.to : e.to_cluster);
  return out;
}

void dot_cluster(std::string& out, const Cluster& c, int depth) {
  out += fmt::format("{}subgraph \"cluster_{}\" {{\n", indent(depth), c.id);
  out += fmt::format("{}label=\"{}\";\n", indent(depth + 1), label_text(c.label, GraphFormat::dot));
  for (const auto& n : c.nodes)
    out += fmt::format("{}\"{}\" [label=\"{}\"];\n", indent(depth + 1), n.id,
                       label_text(n.label, GraphFormat::dot));
  for (const auto& inner : c.clusters) dot_cluster(out, inner, depth + 1);
  out += indent(depth) + "}\n";
}

std::string dot(const Ir& ir, const Graph& g) {
  std::string out =
      fmt::format("digraph \"{}\" {{\n", graph_label(ir.pipeline_name, GraphFormat::dot));
  out += "  rankdir=LR;\n  compound=true;\n  node [shape=box];\n";
  for (const auto& n : g.nodes)
    out += fmt::format("  \"{}\" [label=\"{}\"];\n", n.id, label_text(n.label, GraphFormat::dot));
  for (const auto& c : g.clusters) dot_cluster(out, c, 1);
  for (const auto& e : g.edges) {
    std::string attrs;
    if (!e.from_cluster.empty()) attrs += fmt::format("ltail=\"cluster_{}\"", e.from_cluster);
    if (!e.to_cluster.empty())
      attrs += fmt::format("{}lhead=\"cluster_{}\"", attrs.empty() ? "" : ", ", e.to_cluster);
    out += fmt::format("  \"{}\" -> \"{}\"{};\n", e.from, e.to,
                       attrs.empty() ? "" : " [" + attrs + "]");
  }
  out += "}\n";
  return out;
}

}  // namespace

std::string emit_graph(const Ir& ir, GraphFormat format) {
  const Graph g = make_graph(ir);
  return format == GraphFormat::dot ? dot(ir, g) : mermaid(g);
}

}  // namespace mrp
