// The deploy stages of pipeline.yaml as mrp's waves, approvals and change
// sets: what fits the shape mrp generates is carried over, the rest reported.

#include <algorithm>
#include <cctype>
#include <climits>
#include <set>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/import/readers.h"

namespace mrp::import {
namespace {

constexpr std::string_view replace_mode = "CHANGE_SET_REPLACE";
constexpr std::string_view execute_mode = "CHANGE_SET_EXECUTE";

// mrp names a wave's stage Deploy-NAME; NAME is 1 to 90 letters, digits, `_` or `-`.
std::string wave_name(const std::string& stage, const std::vector<ImportedWave>& waves) {
  const std::string prefix = "Deploy-";
  std::string name = stage.rfind(prefix, 0) == 0 ? stage.substr(prefix.size()) : stage;
  for (char& c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '-') c = '-';
  if (name.empty()) name = "wave";
  name = name.substr(0, 86);
  const auto taken = [&](const std::string& n) {
    return std::any_of(waves.begin(), waves.end(),
                       [&](const ImportedWave& w) { return w.name == n; });
  };
  const std::string base = name;
  for (int i = 2; taken(name); ++i) name = fmt::format("{}-{}", base, i);
  return name;
}

// TimeoutInMinutes as the spec writes it: in days, hours or minutes.
std::string timeout_text(int minutes) {
  if (minutes % (24 * 60) == 0) return fmt::format("{}d", minutes / (24 * 60));
  if (minutes % 60 == 0) return fmt::format("{}h", minutes / 60);
  return fmt::format("{}m", minutes);
}

void read_timeout(const YamlFile& f, const YAML::Node& n, const std::string& name,
                  ImportedApproval& a) {
  if (!present(n)) return;
  const std::string text = literal(n);
  const bool digits =
      !text.empty() && text.size() < 7 && text.find_first_not_of("0123456789") == std::string::npos;
  const int minutes = digits ? std::stoi(text) : 0;
  if (minutes < 5 || minutes > 60 * 24 * 60) {
    f.warn(n, fmt::format("the timeout of approval `{}` is not carried over: `timeout` takes 5 "
                          "minutes to 60 days",
                          name));
    return;
  }
  a.timeout = timeout_text(minutes);
}

ImportedApproval read_approval(const YamlFile& f, const YAML::Node& action) {
  const std::string name = literal(child(action, "Name"));
  ImportedApproval a;
  a.pos = f.pos(action);
  const YAML::Node config = child(action, "Configuration");
  if (yaml::is_map(config))
    for (const auto& kv : config) {
      const std::string key = kv.first.Scalar();
      if (key == "NotificationArn" && !literal(kv.second).empty())
        a.topic = literal(kv.second);
      else if (key == "NotificationArn")
        f.warn(kv.second, fmt::format("the topic of approval `{}` is not carried over: `topic` "
                                      "takes the ARN itself, not a `!Ref` or `!Sub`",
                                      name));
      else
        f.warn(kv.first, fmt::format("`{}` of approval `{}` is not carried over: an mrp "
                                     "approval has a topic and a timeout",
                                     key, name));
    }
  read_timeout(f, child(action, "TimeoutInMinutes"), name, a);
  return a;
}

// Where the stage's deploy actions run: the first and last RunOrder of those
// that create (or deploy directly), the first of those that execute.
struct Orders {
  int create_first = INT_MAX, create_last = 0, execute_first = INT_MAX;
};

Orders orders(const std::vector<ImportedDeploy>& deploys, std::size_t first) {
  Orders o;
  for (std::size_t i = first; i < deploys.size(); ++i) {
    const ImportedDeploy& d = deploys[i];
    if (d.mode == execute_mode) {
      o.execute_first = std::min(o.execute_first, d.run_order);
      continue;
    }
    o.create_first = std::min(o.create_first, d.run_order);
    o.create_last = std::max(o.create_last, d.run_order);
  }
  return o;
}

void place_approval(const YamlFile& f, const YAML::Node& action, const Orders& o, ImportedWave& w) {
  const int at = run_order(action);
  const std::string name = literal(child(action, "Name"));
  std::optional<ImportedApproval>* slot = nullptr;
  if (at < o.create_first)
    slot = &w.approve;
  else if (at > o.create_last && at < o.execute_first && o.execute_first != INT_MAX)
    slot = &w.approve_change_sets;
  if (slot == nullptr || slot->has_value()) {
    f.warn(action, fmt::format("the manual approval `{}` is not carried over: mrp puts one "
                               "before a wave's deploy actions (`approve`) and one between "
                               "creating its change sets and executing them "
                               "(`approve-change-sets`), and RunOrder {} is neither",
                               name, at));
    return;
  }
  *slot = read_approval(f, action);
}

void read_rollback(const YamlFile& f, const YAML::Node& stage, ImportedWave& w) {
  const YAML::Node result = child(child(stage, "OnFailure"), "Result");
  if (!present(result)) return;
  if (literal(result) == "ROLLBACK") {
    w.rollback = true;
    return;
  }
  f.warn(result, fmt::format("OnFailure {} of stage `{}` is not carried over: mrp's waves "
                             "have `on-failure rollback`",
                             text(result), literal(child(stage, "Name"))));
}

bool in_a_wave(const std::vector<ImportedWave>& waves, const std::string& region) {
  return std::any_of(waves.begin(), waves.end(), [&](const ImportedWave& w) {
    return std::find(w.regions.begin(), w.regions.end(), region) != w.regions.end();
  });
}

void add_regions(const YamlFile& f, std::size_t first, Layout& layout, ImportedWave& w) {
  for (std::size_t i = first; i < layout.deploys.size(); ++i) {
    ImportedDeploy& d = layout.deploys[i];
    d.stage = layout.waves.size();
    if (d.mode == execute_mode || in_a_wave({w}, d.region)) continue;
    if (in_a_wave(layout.waves, d.region))
      f.diags->warning(d.pos, rule::import,
                       fmt::format("action `{}` deploys {} again, which an earlier stage "
                                   "deploys; mrp deploys each region in one wave",
                                   d.name, d.region));
    else
      w.regions.push_back(d.region);
  }
}

// An action that creates a change set and the one that executes it: the
// same stage, region and stack, the execute later.
bool pair_of(const ImportedDeploy& create, const ImportedDeploy& execute) {
  return create.mode == replace_mode && execute.mode == execute_mode &&
         create.stage == execute.stage && create.region == execute.region &&
         create.stack == execute.stack && create.run_order < execute.run_order;
}

// Why `d` does not fit `deploy change-set`, "" when it does.
std::string misfit(const ImportedDeploy& d, const std::vector<ImportedDeploy>& all) {
  const auto pairs = [&](bool as_create) {
    return std::count_if(all.begin(), all.end(), [&](const ImportedDeploy& o) {
      return as_create ? pair_of(d, o) : pair_of(o, d);
    });
  };
  // Not exactly one partner: none, or several that would each need it.
  const auto partners = [](std::ptrdiff_t n) { return n == 0 ? "no" : "more than one"; };
  if (const auto n = pairs(true); d.mode == replace_mode && n != 1)
    return fmt::format(
        "action `{}` creates a change set that {} later action of its stage "
        "executes",
        d.name, partners(n));
  if (const auto n = pairs(false); d.mode == execute_mode && n != 1)
    return fmt::format(
        "action `{}` executes a change set that {} earlier action of its stage "
        "creates for {} and its stack",
        d.name, partners(n), d.region);
  if (d.mode != replace_mode && d.mode != execute_mode)
    return fmt::format(
        "action `{}` deploys with ActionMode {} where other regions deploy with "
        "change sets",
        d.name, d.mode);
  return "";
}

bool change_sets_fit(const YamlFile& f, const Layout& layout) {
  bool fit = true;
  for (const ImportedDeploy& d : layout.deploys)
    if (const std::string why = misfit(d, layout.deploys); !why.empty()) {
      f.diags->warning(d.pos, rule::import,
                       why +
                           "; `deploy change-set` pairs the two for every region, so the "
                           "spec deploys every region directly");
      fit = false;
    }
  return fit;
}

void report_modes(const YamlFile& f, const Layout& layout) {
  for (const ImportedDeploy& d : layout.deploys)
    if (d.mode != "CREATE_UPDATE")
      f.diags->warning(d.pos, rule::import,
                       fmt::format("action `{}` deploys with ActionMode {}; mrp deploys with "
                                   "CREATE_UPDATE, or with change sets under `deploy change-set`",
                                   d.name, d.mode));
}

bool needs_waves(const std::vector<ImportedWave>& waves) {
  return waves.size() > 1 || std::any_of(waves.begin(), waves.end(), [](const ImportedWave& w) {
           return w.approve || w.approve_change_sets || w.rollback;
         });
}

}  // namespace

int run_order(const YAML::Node& action) {
  const std::string text = literal(child(action, "RunOrder"));
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 4)
    return 1;
  return std::stoi(text);
}

bool manual_approval(const YAML::Node& action) {
  const YAML::Node type = child(action, "ActionTypeId");
  return literal(child(type, "Category")) == "Approval" &&
         literal(child(type, "Provider")) == "Manual";
}

void read_wave(const YamlFile& f, const YAML::Node& stage, std::size_t first, Layout& layout) {
  ImportedWave w;
  w.name = wave_name(literal(child(stage, "Name")), layout.waves);
  read_rollback(f, stage, w);
  add_regions(f, first, layout, w);
  const Orders o = orders(layout.deploys, first);
  for (const auto& action : child(stage, "Actions"))
    if (manual_approval(action)) place_approval(f, action, o, w);
  layout.waves.push_back(std::move(w));
}

void settle_deploys(const YamlFile& f, Layout& layout) {
  auto& deploys = layout.deploys;
  const bool any = std::any_of(deploys.begin(), deploys.end(), [](const ImportedDeploy& d) {
    return d.mode == replace_mode || d.mode == execute_mode;
  });
  if (any)
    layout.change_set = change_sets_fit(f, layout);
  else
    report_modes(f, layout);
  std::set<std::string> deployed;
  for (const auto& d : deploys)
    if (d.mode != execute_mode) deployed.insert(d.region);
  deploys.erase(std::remove_if(deploys.begin(), deploys.end(),
                               [&](const ImportedDeploy& d) {
                                 return d.mode == execute_mode && deployed.count(d.region) > 0;
                               }),
                deploys.end());
  for (auto& w : layout.waves)
    if (w.approve_change_sets && !layout.change_set) {
      f.diags->warning(w.approve_change_sets->pos, rule::import,
                       "this approval between change sets is not carried over: the spec "
                       "deploys every region directly");
      w.approve_change_sets.reset();
    }
  auto& waves = layout.waves;
  waves.erase(std::remove_if(waves.begin(), waves.end(),
                             [](const ImportedWave& w) { return w.regions.empty(); }),
              waves.end());
  if (!needs_waves(waves)) waves.clear();
}

}  // namespace mrp::import
