#include "compiler/lower/lower_record.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/names.h"
#include "compiler/aws/regions.h"
#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"

namespace mrp {
namespace {

using Kind = DeployedStack::Kind;
using Json = nlohmann::json;

constexpr int record_version = 1;

// The position of byte `byte` (0-based) of `text`.
SourcePos position_in(const std::string& file, std::string_view text, std::size_t byte) {
  SourcePos pos{file, 1, 1, std::min(byte, text.size())};
  for (std::size_t i = 0; i < pos.byte; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

// What a record's entry must hold. Its values end up in retire.sh and
// teardown.sh (quoted there too), so they take the rules of what they name.
std::string entry_problem(const Json& e) {
  if (!e.is_object()) return "an entry is not an object";
  for (const char* key : {"kind", "region", "stack"})
    if (!e.contains(key) || !e[key].is_string())
      return fmt::format("an entry has no `{}` string", key);
  const std::string kind = e["kind"], region = e["region"], name = e["stack"];
  if (!kind_from_name(kind)) return fmt::format("unknown kind `{}`", kind);
  if (!is_commercial_region(region)) return fmt::format("unknown region `{}`", region);
  if (!text::is_stack_name(name)) return fmt::format("`{}` is not a stack name", name);
  if (e.contains("account") &&
      (!e["account"].is_string() || !text::is_account_id(e["account"].get<std::string>())))
    return fmt::format("`{}` is not a 12-digit account id", e["account"].dump());
  if (e.contains("buckets")) {
    if (!e["buckets"].is_array()) return "`buckets` is not a list";
    for (const auto& b : e["buckets"])
      if (!b.is_string() || !text::is_account_bucket_name(b.get_ref<const std::string&>()))
        return fmt::format("`{}` is not a bucket name with `${{AWS::AccountId}}` in it", b.dump());
  }
  return "";
}

DeployedStack entry_of(const Json& e) {
  DeployedStack d;
  d.kind = *kind_from_name(e["kind"].get<std::string>());
  d.region = e["region"];
  d.stack = e["stack"];
  if (e.contains("buckets"))
    for (const auto& b : e["buckets"]) d.buckets.push_back(b);
  if (e.contains("account")) d.account = e["account"];
  return d;
}

class RecordReading {
 public:
  RecordReading(std::string shown, Diagnostics& diags) : shown_(std::move(shown)), diags_(diags) {}

  std::optional<DeployRecord> read(const std::string& text) {
    diags_.add_source(shown_, text);
    Json root;
    try {
      root = Json::parse(text);
    } catch (const Json::parse_error& e) {
      // nlohmann counts the byte it stopped at from 1.
      fail(position_in(shown_, text, e.byte > 0 ? e.byte - 1 : 0),
           fmt::format("not JSON: {}", without_prefix(e.what())));
      return std::nullopt;
    }
    if (!root.is_object() || !root.contains("version") || root["version"] != record_version) {
      fail(start(), fmt::format("not a record of version {}", record_version));
      return std::nullopt;
    }
    DeployRecord record;
    if (!list(root, "deploys", record.deploys) || !list(root, "retiring", record.retiring))
      return std::nullopt;
    int pipelines = 0;
    for (const auto& d : record.deploys) pipelines += d.kind == Kind::pipeline ? 1 : 0;
    if (pipelines != 1) {
      fail(start(), "`deploys` must hold one pipeline stack");
      return std::nullopt;
    }
    return record;
  }

 private:
  bool list(const Json& root, const char* key, std::vector<DeployedStack>& into) {
    if (!root.contains(key) || !root[key].is_array()) {
      fail(start(), fmt::format("no `{}` list", key));
      return false;
    }
    for (const auto& e : root[key]) {
      if (const std::string problem = entry_problem(e); !problem.empty()) {
        fail(start(), fmt::format("in `{}`: {}", key, problem));
        return false;
      }
      into.push_back(entry_of(e));
    }
    return true;
  }

  static std::string without_prefix(std::string what) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    if (const auto colon = what.find(": "); colon != std::string::npos)
      what = what.substr(colon + 2);
    return what;
  }

  SourcePos start() const { return SourcePos{shown_, 1, 1, 0}; }

  void fail(const SourcePos& pos, const std::string& what) {
    diags_.error(pos, rule::record,
                 fmt::format("{} is not a record mrp wrote: {}; it says what the files deploy: "
                             "restore it from version control, or delete it to start a new "
                             "record (what earlier files deployed is then forgotten)",
                             std::filesystem::path(shown_).filename().string(), what));
  }

  std::string shown_;
  Diagnostics& diags_;
};

std::optional<std::size_t> region_index(const Ir& ir, std::string_view code) {
  for (std::size_t i = 0; i < ir.regions.size(); ++i)
    if (ir.regions[i].code == code) return i;
  return std::nullopt;
}

class HomeRegion {
 public:
  HomeRegion(Ir& ir, Diagnostics& diags) : ir_(ir), diags_(diags) {}

  // The pipeline stays where the record puts it, unless it is a new pipeline
  // (another name): CodePipeline cannot move a pipeline between regions.
  void pin(const Argument* home) {
    const DeployedStack* was = ir_.previous ? ir_.previous->pipeline() : nullptr;
    const bool same_pipeline = was != nullptr && was->stack == ir_.pipeline_stack;
    if (home != nullptr) {
      const auto i = region_index(ir_, home->value);
      if (!i) {
        diags_.error(home->pos, rule::home_region,
                     fmt::format("home region `{}` is not one of the pipeline's regions: the "
                                 "pipeline keeps its artifacts there; list it under `regions`",
                                 home->value));
        return;
      }
      if (same_pipeline && was->region != home->value) {
        moving_error(*home, *was);
        return;
      }
      ir_.home = *i;
      return;
    }
    if (!same_pipeline) return;  // the first region listed
    if (const auto i = region_index(ir_, was->region)) {
      ir_.home = *i;
      return;
    }
    home_gone_error(*was);
  }

 private:
  // `home-region` names another region than the record's.
  void moving_error(const Argument& home, const DeployedStack& was) {
    diags_.error(home.pos, rule::home_region,
                 fmt::format("`home-region {}` would move the pipeline stack `{}`, which is in "
                             "{} (deployed.json), and CloudFormation cannot move a stack: write "
                             "`home-region {}`, or give the pipeline a new name (the new pipeline "
                             "is made in {}; retire.sh then deletes the old one)",
                             home.value, was.stack, was.region, was.region, home.value));
  }

  // The regions no longer list the record's home region.
  void home_gone_error(const DeployedStack& was) {
    const TargetRegion& first = ir_.regions.front();
    diags_.error(first.pos, rule::home_region,
                 fmt::format("the pipeline stack `{}` is in {} (deployed.json), which the regions "
                             "no longer list, and CloudFormation cannot move a stack: list {} "
                             "again, or give the pipeline a new name (the new pipeline is made in "
                             "{}; retire.sh then deletes the old one)",
                             was.stack, was.region, was.region, first.code));
  }

  Ir& ir_;
  Diagnostics& diags_;
};

// What the old record lists and the new files leave behind, as the warnings
// of renamed or removed stacks: the pipeline (with its buckets), app stacks.
void warn_left_behind(const Ir& ir, Diagnostics& diags) {
  const DeployRecord& before = *ir.previous;
  const DeployedStack* was = before.pipeline();
  if (was != nullptr && was->stack != ir.pipeline_stack) {
    std::vector<std::string> regions;
    for (const auto& d : before.deploys)
      if (d.kind == Kind::buckets && !holds_stack(ir.record.deploys, d))
        regions.push_back(d.region);
    diags.warning(ir.pipeline_pos, rule::retiring,
                  fmt::format("the pipeline was `{}` (deployed.json): its stack in {}{} stay "
                              "behind until deployment-pipeline/retire.sh deletes them, once "
                              "deploy.sh has made `{}`",
                              was->stack, was->region,
                              regions.empty() ? std::string(" and its bucket stacks")
                                              : fmt::format(", its bucket stacks and buckets in {}",
                                                            fmt::join(regions, " ")),
                              ir.pipeline_stack));
  }
  std::vector<std::string> gone;
  for (const auto& d : before.deploys) {
    if (d.kind != Kind::app) continue;
    const bool still = std::any_of(ir.apps.begin(), ir.apps.end(),
                                   [&](const App& a) { return a.stack_name == d.stack; });
    if (!still && std::find(gone.begin(), gone.end(), d.stack) == gone.end())
      gone.push_back(d.stack);
  }
  for (const auto& stack : gone) {
    std::vector<std::string> regions;
    for (const auto& d : before.deploys)
      if (d.kind == Kind::app && d.stack == stack) regions.push_back(d.region);
    diags.warning(ir.pipeline_pos, rule::retiring,
                  fmt::format("app stack `{}` is no longer in the spec (deployed.json has it in "
                              "{}): it stays behind until deployment-pipeline/retire.sh "
                              "deletes it",
                              stack, fmt::join(regions, " ")));
  }
}

}  // namespace

std::vector<DeployedStack> deployed_stacks(const Ir& ir) {
  std::vector<DeployedStack> out;
  if (ir.regions.empty()) return out;
  out.push_back({Kind::pipeline, ir.home_region().code, ir.pipeline_stack, {}, ""});
  // Within a region the apps deploy step by step.
  std::vector<const App*> apps;
  for (const auto& a : ir.apps) apps.push_back(&a);
  std::stable_sort(apps.begin(), apps.end(),
                   [](const App* a, const App* b) { return a->step < b->step; });
  const auto local = ir.regions_in("");
  for (std::size_t r = 0; r < ir.regions.size(); ++r) {
    const std::string& code = ir.regions[r].code;
    DeployedStack buckets{Kind::buckets, code, ir.artifact_bucket_stack, {}, ""};
    buckets.buckets.push_back(bucket_name_sub(ir.pipeline_name, code));
    if (ir.artifacts.access_logs)
      buckets.buckets.push_back(log_bucket_name_sub(ir.pipeline_name, code));
    out.push_back(std::move(buckets));
    if (std::find(local.begin(), local.end(), r) != local.end())
      for (const App* app : apps) out.push_back({Kind::app, code, app->stack_name, {}, ""});
  }
  // Each target account: its bootstrap stack in the home region (IAM only),
  // then the app stacks of its regions.
  std::vector<std::string> accounts;
  for (const auto& w : ir.waves)
    if (!w.account.empty() &&
        std::find(accounts.begin(), accounts.end(), w.account) == accounts.end())
      accounts.push_back(w.account);
  for (const auto& account : accounts) {
    out.push_back(
        {Kind::target, ir.home_region().code, target_account_stack(ir.pipeline_name), {}, account});
    for (std::size_t r : ir.regions_in(account))
      for (const App* app : apps)
        out.push_back({Kind::app, ir.regions[r].code, app->stack_name, {}, account});
  }
  return out;
}

void lower_record(const Argument* home_region, const LowerOptions& options, const FileReader& files,
                  Ir& ir, Diagnostics& diags) {
  if (const auto text = files.read(options.record_path)) {
    const std::string shown =
        (std::filesystem::path(ir.pipeline_pos.file).parent_path() / options.record_path)
            .lexically_normal()
            .generic_string();
    ir.previous = RecordReading(shown, diags).read(*text);
    if (!ir.previous) return;
  }
  HomeRegion(ir, diags).pin(home_region);
  ir.record.deploys = deployed_stacks(ir);
  if (!ir.previous) return;
  // Still waiting (unless retire.sh has done its work and the user says so),
  // then newly left behind; never what the files deploy again.
  std::vector<const std::vector<DeployedStack>*> lists = {&ir.previous->deploys};
  if (!options.forget_retired) lists.insert(lists.begin(), &ir.previous->retiring);
  for (const auto* list : lists)
    for (const auto& d : *list)
      if (!holds_stack(ir.record.deploys, d) && !holds_stack(ir.record.retiring, d))
        ir.record.retiring.push_back(d);
  warn_left_behind(ir, diags);
}

}  // namespace mrp
