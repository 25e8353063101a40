#include "tests/spec_gen.h"

#include <algorithm>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "compiler/aws/github.h"
#include "compiler/aws/names.h"
#include "compiler/aws/regions.h"
#include "tests/spec_gen_apps.h"
#include "tests/spec_text.h"

namespace mrp::test {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t spec_seed(std::uint64_t run_seed, std::size_t index) {
  Rng r(run_seed ^ (0xD1B54A32D192ED03ull * (index + 1)));
  return r.next();
}

namespace {

// Secrets Manager secret names and JSON keys as mrp accepts them.
constexpr const char* secret_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-";

constexpr std::string_view lower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view hex = "0123456789abcdef";

// The commands a generated build runs: the tests put recording stand-ins for
// them on PATH.
const std::vector<std::string> run_commands = {"npm",   "make", "pytest", "mvn", "gradle",
                                               "cargo", "yarn", "pnpm",   "tsc", "go"};

const std::vector<std::string> images = {
    "aws/codebuild/standard:7.0",
    "aws/codebuild/amazonlinux-x86_64-standard:5.0",
    "aws/codebuild/amazonlinux-aarch64-standard:3.0",
    "aws/codebuild/standard:6.0",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/build-image:2026.11",
    "public.ecr.aws/sam/build-python3.13:latest"};

const std::vector<std::string> computes = {"small",
                                           "medium",
                                           "large",
                                           "xlarge",
                                           "2xlarge",
                                           "BUILD_GENERAL1_SMALL",
                                           "BUILD_GENERAL1_MEDIUM",
                                           "BUILD_GENERAL1_LARGE",
                                           "BUILD_GENERAL1_XLARGE",
                                           "BUILD_GENERAL1_2XLARGE"};

const std::vector<std::string> patterns = {"main",         "release/*", "feature/**", "v*",
                                           "v[0-9]*",      "src/**",    "**/*.md",    "docs/**",
                                           "package.json", "hotfix-?",  "{a,b}/**",   "*"};

// Names that would change how the build script itself runs, which a build
// variable of a real project would not be.
bool reserved_env_name(const std::string& n) {
  static const std::set<std::string> names = {"PATH",   "HOME",       "IFS", "ENV",     "SHELLOPTS",
                                              "CDPATH", "GLOBIGNORE", "PS4", "STUB_LOG"};
  return names.count(n) > 0 || n.rfind("BASH", 0) == 0 || n.rfind("FAKE_AWS", 0) == 0 ||
         n.rfind("LD_", 0) == 0 || n.rfind("CODEBUILD_", 0) == 0;
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : r_(seed) {}

  GeneratedSpec run() {
    change_set_ = r_.percent(30);
    out_.change_set = change_set_;
    if (r_.percent(50))
      execution_mode_ = r_.pick(std::vector<std::string>{"superseded", "queued", "parallel"});
    app_count_ = std::vector<std::size_t>{1, 1, 1, 1, 2, 2, 2, 3, 3, 4}[r_.below(10)];
    choose_regions();
    out_.pipeline = pipeline_name();
    if (r_.percent(20))
      out_.spec_path = "services/" + chars(r_, r_.between(1, 8), lower) + "/pipeline.mrp";
    std::vector<SpecNode> items;
    items.push_back(regions_node());
    items.push_back(source_node());
    if (r_.percent(70))
      items.push_back(description_node());
    else
      out_.description = "Multi-region deployment pipeline " + out_.pipeline;
    out_.home = out_.regions.front();
    if (r_.percent(15)) {
      out_.home = r_.pick(out_.regions);
      items.push_back(node("home-region", {out_.home}));
    }
    if (!execution_mode_.empty()) items.push_back(node("execution-mode", {execution_mode_}));
    if (change_set_)
      items.push_back(node("deploy", {"change-set"}));
    else if (r_.percent(20))
      items.push_back(node("deploy", {"direct"}));
    if (r_.percent(50)) items.push_back(artifacts_node());
    if (r_.percent(70)) items.push_back(build_node());
    shuffle(r_, items);
    SpecNode root =
        block("pipeline", {out_.pipeline},
              interleave(r_, std::move(items), generate_apps(r_, out_, app_count_, change_set_)));
    out_.text = render_spec(r_, root);
    return std::move(out_);
  }

 private:
  // --- regions and waves ---------------------------------------------------

  void choose_regions() {
    auto pool = commercial_region_codes();
    std::vector<std::string> all(pool.begin(), pool.end());
    shuffle(r_, all);
    const unsigned size_class = static_cast<unsigned>(r_.below(100));
    std::size_t n = size_class < 70   ? r_.between(1, 5)
                    : size_class < 90 ? r_.between(6, 12)
                                      : r_.between(13, all.size());
    // A stage takes at most 50 actions: each app's one or two per region, an
    // approval, and a change-set review per step of apps.
    const std::size_t per_region = app_count_ * (change_set_ ? 2 : 1);
    n = std::max<std::size_t>(1, std::min(n, (50 - 1 - app_count_) / per_region));
    out_.regions.assign(all.begin(), all.begin() + static_cast<long>(n));
  }

  std::size_t longest_region() const {
    std::size_t n = 0;
    for (const auto& r : out_.regions) n = std::max(n, r.size());
    return n;
  }

  SpecNode regions_node() {
    if (r_.percent(40)) return waves_node();
    out_.stages = {"Deploy"};
    // As arguments, as lines of a block, or both.
    const std::size_t as_args = r_.percent(50)   ? out_.regions.size()
                                : r_.percent(50) ? 0
                                                 : r_.below(out_.regions.size() + 1);
    SpecNode n = node("regions");
    for (std::size_t i = 0; i < as_args; ++i) n.args.push_back({out_.regions[i]});
    if (as_args < out_.regions.size()) {
      n.block = true;
      region_lines(out_.regions, as_args, out_.regions.size(), n.children);
    }
    return n;
  }

  // Regions [from, to) as lines of a block, one or more per line.
  void region_lines(const std::vector<std::string>& regions, std::size_t from, std::size_t to,
                    std::vector<SpecNode>& lines) {
    for (std::size_t i = from; i < to;) {
      const std::size_t k = std::min(to - i, r_.between(1, 4));
      SpecNode line = node(regions[i]);
      for (std::size_t j = 1; j < k; ++j) line.args.push_back({regions[i + j]});
      lines.push_back(std::move(line));
      i += k;
    }
  }

  SpecNode waves_node() {
    const std::size_t n = out_.regions.size();
    const std::size_t waves = r_.between(1, std::min<std::size_t>(5, n));
    // Cut points: wave w holds regions [cuts[w], cuts[w + 1]).
    std::vector<std::size_t> cuts = {0};
    std::vector<std::size_t> candidates;
    for (std::size_t i = 1; i < n; ++i) candidates.push_back(i);
    shuffle(r_, candidates);
    candidates.resize(waves - 1);
    std::sort(candidates.begin(), candidates.end());
    cuts.insert(cuts.end(), candidates.begin(), candidates.end());
    cuts.push_back(n);
    SpecNode regions = block("regions");
    std::set<std::string> names;
    for (std::size_t w = 0; w < waves; ++w) {
      std::string name;
      do {
        name =
            r_.percent(10)
                ? chars(r_, 90, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                : chars(r_, r_.between(1, 12),
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
      } while (!names.insert(name).second);
      out_.stages.push_back("Deploy-" + name);
      std::vector<SpecNode> options;
      if (r_.percent(40)) options.push_back(approval("approve"));
      if (change_set_ && r_.percent(30)) options.push_back(approval("approve-change-sets"));
      if (execution_mode_ != "parallel" && r_.percent(30))
        options.push_back(node("on-failure", {"rollback"}));
      std::vector<SpecNode> lines;
      region_lines(out_.regions, cuts[w], cuts[w + 1], lines);
      regions.children.push_back(
          block("wave", {name}, interleave(r_, std::move(options), std::move(lines))));
    }
    return regions;
  }

  SpecNode approval(const std::string& name) {
    if (r_.percent(40)) return node(name);
    SpecNode n = block(name);
    if (r_.percent(60)) {
      const std::size_t len = r_.percent(10) ? 256 : r_.between(1, 30);
      n.children.push_back(
          node("topic",
               {fmt::format(
                   "arn:aws:sns:{}:{}:{}", r_.pick(out_.regions), chars(r_, 12, "0123456789"),
                   chars(r_, len,
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"))}));
    }
    if (r_.percent(60)) {
      const unsigned unit = static_cast<unsigned>(r_.below(3));
      const std::size_t v = unit == 0   ? r_.between(5, 86400)
                            : unit == 1 ? r_.between(1, 1440)
                                        : r_.between(1, 60);
      n.children.push_back(node("timeout", {fmt::format("{}{}", v, "mhd"[unit])}));
    }
    return n;
  }

  // --- names ----------------------------------------------------------------

  // Lower-case letters, digits and hyphens, starting with a letter and not
  // ending with a hyphen; as long as the longest region's bucket name allows.
  std::string pipeline_name() {
    const std::size_t max = max_bucket_name_length - account_id_length - 2 - longest_region();
    const std::size_t len = r_.percent(30) ? max : r_.between(1, max);
    std::string name(1, lower[r_.below(lower.size())]);
    if (len > 1) {
      name += chars(r_, len - 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
      name += chars(r_, 1, "abcdefghijklmnopqrstuvwxyz0123456789");
    }
    // S3 reserves the prefixes xn--, sthree- and amzn-s3-demo- (and mrp
    // refuses them); names that only come near them are fine.
    if (r_.percent(5)) {
      const std::string prefix =
          r_.pick(std::vector<std::string>{"xn-", "xn-a-", "sthree", "sthree3-", "amzn-s3-demo"});
      if (prefix.size() < name.size() && name[prefix.size()] != '-')
        name.replace(0, prefix.size(), prefix);
    }
    return name;
  }

  // --- source ----------------------------------------------------------------

  std::string branch() {
    for (;;) {
      std::string b;
      const std::size_t parts = r_.between(1, 3);
      for (std::size_t i = 0; i < parts; ++i) {
        if (i > 0) b += '/';
        b += chars(r_, r_.between(1, 12), "abcdefghijklmnopqrstuvwxyz0123456789._-");
        if (r_.percent(10))
          b += r_.pick(std::vector<std::string>{"$(x)", "'", "\"", "`", "{a}", "#1", "&", "!", "%",
                                                "@", "\xF0\x9F\x98\x80", "\xE2\x80\xAE",
                                                "e\xCC\x81", ">", "|", ",", "="});
      }
      if (git_branch_problem(b).empty()) return b;
    }
  }

  SpecNode source_node() {
    const unsigned kind = static_cast<unsigned>(r_.below(4));
    std::vector<SpecNode> children;
    if (kind == 0) {
      const std::size_t owner_len = r_.percent(15) ? 39 : r_.between(1, 20);
      std::string owner = chars(r_, 1, alnum) +
                          chars(r_, owner_len - 1,
                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
      const std::size_t repo_len = r_.percent(15) ? 100 : r_.between(1, 30);
      std::string repo;
      do
        repo = chars(r_, repo_len,
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
      while (repo == "." || repo == "..");
      out_.branch = branch();
      children = {node("owner", {owner}), node("repo", {repo}), node("branch", {out_.branch})};
      if (r_.percent(40)) {
        std::vector<std::string> args = {
            r_.percent(20) ? fmt::format("arn:aws:secretsmanager:{}:{}:secret:{}",
                                         r_.pick(out_.regions), chars(r_, 12, "0123456789"),
                                         chars(r_, r_.between(1, 30), secret_chars))
                           : chars(r_, r_.percent(5) ? 512 : r_.between(1, 40), secret_chars)};
        if (r_.percent(50)) args.push_back(chars(r_, r_.between(1, 20), secret_chars));
        children.push_back(node("token-secret", args));
      }
    } else if (kind == 1) {
      const std::string uuid = chars(r_, 8, hex) + "-" + chars(r_, 4, hex) + "-" +
                               chars(r_, 4, hex) + "-" + chars(r_, 4, hex) + "-" +
                               chars(r_, 12, hex);
      const std::string arn =
          fmt::format("arn:aws:{}:{}:{}:connection/{}",
                      r_.percent(50) ? "codeconnections" : "codestar-connections",
                      r_.pick(out_.regions), chars(r_, 12, "0123456789"), uuid);
      std::string repo = chars(r_, r_.between(1, 20), "abcdefghijklmnopqrstuvwxyz0123456789_.-");
      for (std::size_t i = r_.between(1, 3); i > 0; --i)
        repo += "/" + chars(r_, r_.between(1, 30),
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
      out_.branch = branch();
      children = {node("connection", {arn}), node("repo", {repo}), node("branch", {out_.branch})};
      if (r_.percent(40)) triggers(children);
    } else if (kind == 2) {
      std::string repo;
      do
        repo = chars(r_, r_.percent(15) ? 100 : r_.between(1, 30),
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
      while (repo.size() >= 4 && repo.substr(repo.size() - 4) == ".git");
      out_.branch = branch();
      children = {node("repo", {repo}), node("branch", {out_.branch})};
    } else {
      std::string bucket;
      do {
        const std::size_t len = r_.percent(15) ? 63 : r_.between(3, 30);
        bucket = chars(r_, 1, "abcdefghijklmnopqrstuvwxyz0123456789") +
                 chars(r_, len - 2, "abcdefghijklmnopqrstuvwxyz0123456789.-") +
                 chars(r_, 1, "abcdefghijklmnopqrstuvwxyz0123456789");
      } while (bucket.find("..") != std::string::npos);
      std::string key = chars(r_, r_.between(1, 10), "abcdefghijklmnopqrstuvwxyz0123456789") +
                        free_text(r_, 3, 200) + "/source.zip";
      children = {node("bucket", {bucket}), node("key", {key})};
    }
    shuffle(r_, children);
    return block("source",
                 {std::vector<std::string>{"github", "codestar", "codecommit", "s3"}[kind]},
                 std::move(children));
  }

  std::vector<std::string> some_patterns() {
    std::vector<std::string> out;
    for (std::size_t i = r_.between(1, 8); i > 0; --i) {
      std::string p = r_.percent(85) ? r_.pick(patterns) : free_text(r_, 3, 60);
      out.push_back(p.empty() ? "x" : p);
    }
    return out;
  }

  void triggers(std::vector<SpecNode>& children) {
    for (std::size_t i = r_.between(1, 3); i > 0; --i) {
      SpecNode t = block("trigger", {"push"});
      const unsigned which = static_cast<unsigned>(r_.below(4));
      const char* names[] = {"branches", "exclude-branches", "tags", "exclude-tags"};
      t.children.push_back(node(names[which], some_patterns()));
      if (r_.percent(30))
        t.children.push_back(node(names[(which + 1 + r_.below(3)) % 4], some_patterns()));
      if (r_.percent(40))
        t.children.push_back(
            node(r_.percent(50) ? "file-paths" : "exclude-file-paths", some_patterns()));
      shuffle(r_, t.children);
      children.push_back(std::move(t));
    }
    for (std::size_t i = r_.below(4); i > 0; --i) {
      SpecNode t = block("trigger", {"pull-request"});
      if (r_.percent(70)) {
        std::vector<std::string> events = {"open", "updated", "closed"};
        shuffle(r_, events);
        events.resize(r_.between(1, 3));
        t.children.push_back(node("events", events));
      }
      if (r_.percent(50))
        t.children.push_back(
            node(r_.percent(70) ? "branches" : "exclude-branches", some_patterns()));
      if (r_.percent(30))
        t.children.push_back(
            node(r_.percent(50) ? "file-paths" : "exclude-file-paths", some_patterns()));
      shuffle(r_, t.children);
      children.push_back(std::move(t));
    }
  }

  // --- the rest of the pipeline -----------------------------------------------

  SpecNode description_node() {
    out_.description =
        r_.percent(5) ? cut(std::string(r_.between(500, 1024), 'd') + free_text(r_, 20, 1024), 1024)
                      : free_text(r_, 12, 300);
    return node("description", {out_.description});
  }

  SpecNode artifacts_node() {
    SpecNode n = block("artifacts");
    if (r_.percent(50)) {
      const std::size_t days = r_.percent(10) ? (r_.percent(50) ? 1 : 999999) : r_.between(1, 400);
      n.children.push_back(node("expire-after", {fmt::format("{}d", days)}));
    }
    if (r_.percent(50)) n.children.push_back(node("versioning", {r_.percent(50) ? "on" : "off"}));
    if (r_.percent(30)) n.children.push_back(node("encryption", {r_.percent(70) ? "kms" : "s3"}));
    shuffle(r_, n.children);
    // Access logs where the log buckets' longer names fit, for about a
    // quarter of the names. Chosen from the name rather than drawn, so that
    // every other choice of the seed stays what it was before they existed.
    const std::size_t log_max = max_bucket_name_length - account_id_length - 7 - longest_region();
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (char c : out_.pipeline) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    if (out_.pipeline.size() <= log_max && hash % 4 == 0)
      n.children.push_back(node("access-logs", {}));
    return n;
  }

  SpecNode build_node() {
    std::vector<SpecNode> other, install, run, env;
    if (r_.percent(50)) other.push_back(node("image", {r_.pick(images)}));
    if (r_.percent(50)) other.push_back(node("compute", {r_.pick(computes)}));
    if (r_.percent(25)) other.push_back(generate_permissions(r_));
    for (std::size_t i = r_.below(4); i > 0; --i) {
      std::string cmd = free_text(r_, 5, 120);
      if (cmd.empty()) cmd = "npm ci";
      out_.install.push_back(cmd);
      install.push_back(node("install", {cmd}));
    }
    for (std::size_t i = r_.below(4); i > 0; --i) {
      const std::string word = r_.pick(run_commands);
      std::string cmd = word;
      for (std::size_t k = r_.below(4); k > 0; --k)
        cmd += " " + chars(r_, r_.between(1, 10), "abcdefghijklmnopqrstuvwxyz0123456789-./:=");
      out_.run.push_back(cmd);
      if (std::find(out_.commands.begin(), out_.commands.end(), word) == out_.commands.end())
        out_.commands.push_back(word);
      run.push_back(node("run", {cmd}));
    }
    std::set<std::string> taken;
    for (const auto& r : out_.regions) taken.insert(bucket_env_var(r));
    for (std::size_t i = r_.below(5); i > 0; --i) {
      std::string name;
      do {
        name = chars(r_, 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_") +
               chars(r_, r_.between(0, r_.percent(10) ? 120 : 16),
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
      } while (taken.count(name) > 0 || reserved_env_name(name));
      taken.insert(name);
      const std::string value = free_text(r_, 6, 200);
      out_.env.emplace_back(name, value);
      env.push_back(node("env", {name, value}));
    }
    // The commands keep their order among themselves; the rest goes anywhere.
    std::vector<SpecNode> children =
        interleave(r_, interleave(r_, std::move(install), std::move(run)), std::move(env));
    return block("build", {}, interleave(r_, std::move(children), std::move(other)));
  }

  Rng r_;
  GeneratedSpec out_;
  bool change_set_ = false;
  std::string execution_mode_;
  std::size_t app_count_ = 1;
};

}  // namespace

namespace {

// An upper estimate of the pipeline template's size: the generator keeps it
// under the 51,200 bytes of --template-body, which many regions with several
// apps, long names and parameters can pass, so that create-pipeline.sh can
// send it.
std::size_t estimated_template_bytes(const GeneratedSpec& s) {
  // The fixed part includes the three roles' policies (about 6 KB).
  std::size_t bytes = 14000 + 2 * s.description.size() + 300 * s.regions.size();
  for (const auto& [name, value] : s.env) bytes += 60 + name.size() + 2 * value.size();
  for (const auto& app : s.apps) {
    for (const auto& region : s.regions) {
      // The actions, and the stack's ARN in the pipeline role's policy.
      bytes += (s.change_set ? 900 : 550) + 110 + 5 * app.stack.size();
      const auto it = app.parameters.find(region);
      if (it == app.parameters.end()) continue;
      for (const auto& [k, v] : it->second) bytes += 8 + 2 * (k.size() + 2 * v.size());
    }
  }
  return bytes;
}

}  // namespace

SpecNode generate_permissions(Rng& r) {
  static const std::vector<std::string> actions = {"ssm:GetParameter",
                                                   "ssm:GetParameters",
                                                   "kinesis:CreateStream",
                                                   "kinesis:DeleteStream",
                                                   "secretsmanager:GetSecretValue",
                                                   "xray:PutTraceSegments",
                                                   "ecr:GetAuthorizationToken",
                                                   "dynamodb:GetItem",
                                                   "s3:GetObject",
                                                   "sqs:SendMessage"};
  static const std::vector<std::string> resources = {
      "*", "arn:aws:s3:::acme-config/*",
      "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/*",
      "arn:${AWS::Partition}:kinesis:*:${AWS::AccountId}:stream/*",
      "arn:aws:dynamodb:us-east-1:123456789012:table/${aws:username}"};
  std::vector<SpecNode> lines;
  if (r.percent(30))
    lines.push_back(
        node("managed-policy", {r.percent(50) ? "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
                                              : "arn:aws:iam::123456789012:policy/team/app"}));
  for (std::size_t i = r.between(1, 3); i > 0; --i) {
    std::vector<std::string> args;
    for (std::size_t k = r.between(1, 4); k > 0; --k) args.push_back(r.pick(actions));
    if (r.percent(50)) {
      lines.push_back(node("allow", args));
      continue;
    }
    std::vector<std::string> arns;
    for (std::size_t k = r.between(1, 3); k > 0; --k) arns.push_back(r.pick(resources));
    lines.push_back(block("allow", args, {node("resources", arns)}));
  }
  shuffle(r, lines);
  return block("permissions", {}, std::move(lines));
}

GeneratedSpec generate_spec(std::uint64_t seed) {
  for (std::uint64_t attempt = 0;; ++attempt) {
    GeneratedSpec spec = Generator(seed + attempt * 0x9E3779B97F4A7C15ull).run();
    if (estimated_template_bytes(spec) <= 48000) return spec;
  }
}

}  // namespace mrp::test
