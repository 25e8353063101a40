#include "tests/spec_gen_apps.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/names.h"

namespace mrp::test {
namespace {

constexpr std::string_view alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const std::vector<std::string> capability_names = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                                                   "CAPABILITY_AUTO_EXPAND"};

class AppGenerator {
 public:
  AppGenerator(Rng& r, GeneratedSpec& out, std::size_t count, bool change_set)
      : r_(r), out_(out), count_(count), change_set_(change_set) {}

  std::vector<SpecNode> run() {
    for (std::size_t i = 0; i < count_; ++i) {
      GeneratedApp app;
      app.stack = stack_name(count_);
      out_.apps.push_back(std::move(app));
    }
    std::vector<std::vector<std::size_t>> after(count_);
    for (std::size_t i = 0; i < count_ && count_ > 1; ++i) {
      if (!r_.percent(35)) continue;
      for (std::size_t j = 0; j < count_; ++j)
        if (j != i && r_.percent(50)) after[i].push_back(j);
      if (!acyclic(after)) after[i].clear();
    }
    std::vector<SpecNode> nodes;
    for (std::size_t i = 0; i < count_; ++i) nodes.push_back(app_node(i, after[i]));
    return nodes;
  }

 private:
  std::string stack_name(std::size_t app_count) {
    // With one app, the action names hold only the region; with several they
    // hold the stack name in CamelCase, and the longest must fit CodePipeline's
    // 100 characters: "Deploy" STACK "To" REGION, or with change sets
    // "ExecuteChangeSet" STACK REGION.
    std::size_t longest_camel = 0;
    for (const auto& r : out_.regions)
      longest_camel = std::max(longest_camel, region_pascal_case(r).size());
    const std::size_t max_camel =
        app_count == 1 ? 128 : 100 - (change_set_ ? 16 : 8) - longest_camel;
    for (;;) {
      std::string s;
      if (r_.percent(25)) {
        // As long as it can be: 128 characters, or the CamelCase limit plus
        // hyphens, which the action names drop.
        s = chars(r_, 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        while (s.size() < 128) {
          std::string next =
              s + chars(r_, 1,
                        r_.percent(15)
                            ? "-"
                            : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
          if (stack_pascal_case(next).size() > max_camel) break;
          s = std::move(next);
        }
      } else {
        s = chars(r_, 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") +
            chars(r_, r_.between(0, 20),
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
      }
      if (stack_pascal_case(s).size() > max_camel) continue;
      if (s == out_.pipeline || s == out_.pipeline + "-artifact-bucket") continue;
      bool clash = false;
      // Stacks that differ only in case or hyphens give the same action names.
      for (const auto& a : out_.apps)
        clash = clash || stack_pascal_case(a.stack) == stack_pascal_case(s);
      if (!clash) return s;
    }
  }

  // Apps in declaration order: whether each waits, through `after`, only for
  // apps that do not wait for it.
  static bool acyclic(const std::vector<std::vector<std::size_t>>& after) {
    const std::size_t n = after.size();
    std::vector<int> state(n, 0);
    std::vector<std::size_t> deps;
    std::function<bool(std::size_t)> visit = [&](std::size_t i) {
      if (state[i] == 1) return false;
      if (state[i] == 2) return true;
      state[i] = 1;
      std::vector<std::size_t> waits = after[i];
      if (waits.empty() && i > 0) waits = {i - 1};
      for (std::size_t j : waits)
        if (!visit(j)) return false;
      state[i] = 2;
      return true;
    };
    for (std::size_t i = 0; i < n; ++i)
      if (!visit(i)) return false;
    return true;
  }

  std::string template_path(std::size_t i) {
    static const std::vector<std::string> folders = {
        "", "", "infra/", "apps/api/", "my app/", "\xC3\xBCn\xC3\xAF/", "../shared/"};
    static const std::vector<std::string> files = {"template.yaml", "template.yml", "stack.yaml",
                                                   "t e m p.yaml"};
    std::string folder = r_.pick(folders);
    if (folder == "../shared/" && out_.spec_path == "pipeline.mrp") folder = "shared/";
    return fmt::format("{}{}{}", folder, i == 0 ? "" : fmt::format("app{}-", i), r_.pick(files));
  }

  SpecNode app_node(std::size_t i, const std::vector<std::size_t>& after_apps) {
    GeneratedApp& app = out_.apps[i];
    app.template_path = template_path(i);
    std::vector<SpecNode> others, params;
    others.push_back(node("template", {app.template_path}));
    // What the template needs, then any capability more, in any order.
    const unsigned kind = static_cast<unsigned>(r_.below(5));
    std::set<std::string> caps;
    if (kind == 1) caps.insert(r_.percent(70) ? "CAPABILITY_IAM" : "CAPABILITY_NAMED_IAM");
    if (kind == 2) caps.insert("CAPABILITY_NAMED_IAM");
    if (kind == 3) caps = {"CAPABILITY_AUTO_EXPAND", "CAPABILITY_IAM"};
    if (kind == 4) caps.insert("CAPABILITY_AUTO_EXPAND");
    for (const auto& c : capability_names)
      if (r_.percent(15)) caps.insert(c);
    app.capabilities.assign(caps.begin(), caps.end());
    shuffle(r_, app.capabilities);
    if (!app.capabilities.empty() || r_.percent(10)) {
      if (app.capabilities.empty()) app.capabilities.push_back("CAPABILITY_IAM");
      others.push_back(node("capabilities", app.capabilities));
    }
    if (r_.percent(25)) others.push_back(generate_permissions(r_));
    if (!after_apps.empty()) {
      std::vector<std::string> names;
      for (std::size_t j : after_apps) names.push_back(out_.apps[j].stack);
      others.push_back(node("after", names));
    }
    std::vector<std::string> declared = parameters(app, params);
    const std::string file = std::filesystem::path(spec_folder() + app.template_path)
                                 .lexically_normal()
                                 .generic_string();
    // A SAM function is packaged as it is, built by a builder (`sam build`),
    // or a container image.
    const unsigned code = kind >= 3 ? static_cast<unsigned>(r_.below(4)) : 0;
    app.sam_build = code >= 1;
    app.images = code == 3;
    if (app.sam_build && r_.percent(50)) others.push_back(node("build-with", {"sam"}));
    if (!app.sam_build && r_.percent(10)) others.push_back(node("build-with", {"package"}));
    out_.files[file] = app_template(kind, code, declared);
    // The SAM function's code, where its CodeUri says, as the repository holds it.
    const std::filesystem::path dir = std::filesystem::path(file).parent_path();
    if (kind >= 3 && code != 3)
      out_.files[(dir / "src/index.js").generic_string()] = "exports.handler = async () => ({});\n";
    // esbuild among the function's dependencies, as sam build needs it.
    if (code == 2)
      out_.files[(dir / "src/package.json").generic_string()] =
          "{\"dependencies\": {\"esbuild\": \"^0.24.0\"}}\n";
    if (code == 3)
      out_.files[(dir / "fn/Dockerfile").generic_string()] =
          "FROM public.ecr.aws/lambda/nodejs:22\nCOPY index.js ./\nCMD [\"index.handler\"]\n";
    shuffle(r_, others);
    return block("app", {app.stack}, interleave(r_, std::move(others), std::move(params)));
  }

  std::string spec_folder() const {
    const auto slash = out_.spec_path.rfind('/');
    return slash == std::string::npos ? "" : out_.spec_path.substr(0, slash + 1);
  }

  std::string parameter_key() {
    return r_.percent(5) ? chars(r_, 255, alnum) : chars(r_, r_.between(1, 12), alnum);
  }

  // The app's parameters and per-region overrides; fills `app.parameters` with
  // each region's ParameterOverrides and returns every key the template must
  // declare.
  std::vector<std::string> parameters(GeneratedApp& app, std::vector<SpecNode>& nodes) {
    std::vector<std::pair<std::string, std::string>> common;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_region;
    std::set<std::string> keys;
    const auto fresh_key = [&](const std::vector<std::pair<std::string, std::string>>& taken) {
      for (;;) {
        std::string k = r_.percent(40) && !keys.empty()
                            ? *std::next(keys.begin(), static_cast<long>(r_.below(keys.size())))
                            : parameter_key();
        bool clash = false;
        for (const auto& [t, v] : taken) clash = clash || t == k;
        if (!clash) return k;
      }
    };
    for (std::size_t i = r_.below(5); i > 0; --i) {
      const std::string k = fresh_key(common);
      keys.insert(k);
      common.emplace_back(k, free_text(r_, 4, 60));
    }
    for (const auto& region : out_.regions) {
      if (!r_.percent(25)) continue;
      auto& list = by_region[region];
      for (std::size_t i = r_.between(0, 3); i > 0; --i) {
        const std::string k = fresh_key(list);
        keys.insert(k);
        list.emplace_back(k, free_text(r_, 4, 60));
      }
    }
    // Each region's overrides: the app's, with the region's on top, as a JSON
    // object in the order keys were first set. CodePipeline takes at most
    // 1,000 characters of it: drop values until every region's fits.
    const auto overrides = [&](const std::string& region) {
      nlohmann::ordered_json json = nlohmann::ordered_json::object();
      for (const auto& [k, v] : common) json[k] = v;
      if (const auto it = by_region.find(region); it != by_region.end())
        for (const auto& [k, v] : it->second) json[k] = v;
      return json;
    };
    for (bool fits = false; !fits;) {
      fits = true;
      for (const auto& region : out_.regions) {
        if (overrides(region).dump().size() <= 1000) continue;
        auto& own = by_region[region];
        if (!own.empty())
          own.pop_back();
        else
          common.pop_back();
        fits = false;
        break;
      }
    }
    for (const auto& region : out_.regions) {
      const auto json = overrides(region);
      for (const auto& [k, v] : json.items())
        app.parameters[region].emplace_back(k, v.get<std::string>());
    }
    for (const auto& [k, v] : common) nodes.push_back(node("parameter", {k, v}));
    for (const auto& [region, list] : by_region) {
      SpecNode n = block("region", {region});
      for (const auto& [k, v] : list) n.children.push_back(node("parameter", {k, v}));
      nodes.push_back(std::move(n));
    }
    return {keys.begin(), keys.end()};
  }

  // A template that needs what `kind` says: nothing, IAM, named IAM, a SAM
  // function that makes its own role, or one given a role. The function's
  // `code`: its folder as it is, with a makefile builder, bundled by esbuild,
  // or a container image.
  std::string app_template(unsigned kind, unsigned code,
                           const std::vector<std::string>& parameters) {
    std::string t = "AWSTemplateFormatVersion: \"2010-09-09\"\n";
    if (kind >= 3) t += "Transform: AWS::Serverless-2016-10-31\n";
    t += "Description: generated for the property tests\n";
    if (!parameters.empty() || r_.percent(20)) {
      t += "Parameters:\n";
      for (const auto& p : parameters)
        t += fmt::format("  \"{}\":\n    Type: String\n    Default: \"\"\n", p);
      t += "  Unused:\n    Type: String\n    Default: x\n";
    }
    t += "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    if (kind == 1 || kind == 2) {
      t += "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n";
      // Named in each region's own terms: IAM names are global to the account.
      if (kind == 2) t += "      RoleName: !Sub generated-role-${AWS::Region}\n";
      t += "      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement: "
           "[]\n";
    }
    if (kind >= 3) {
      t += "  Function:\n    Type: AWS::Serverless::Function\n    Properties:\n";
      if (code == 3)
        t += "      PackageType: Image\n";
      else
        t += "      CodeUri: ./src\n      Handler: index.handler\n      Runtime: nodejs22.x\n";
      if (kind == 4) t += "      Role: !Sub arn:aws:iam::${AWS::AccountId}:role/existing\n";
      if (code == 1) t += "    Metadata:\n      BuildMethod: makefile\n";
      if (code == 2) t += "    Metadata:\n      BuildMethod: esbuild\n";
      if (code == 3)
        t += "    Metadata:\n      Dockerfile: Dockerfile\n      DockerContext: ./fn\n";
    }
    return t;
  }

  Rng& r_;
  GeneratedSpec& out_;
  std::size_t count_;
  bool change_set_;
};

}  // namespace

std::vector<SpecNode> generate_apps(Rng& r, GeneratedSpec& spec, std::size_t count,
                                    bool change_set) {
  return AppGenerator(r, spec, count, change_set).run();
}

}  // namespace mrp::test
