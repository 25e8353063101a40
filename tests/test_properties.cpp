// Properties over generated specs (tests/spec_gen.h): every valid spec
// compiles; formatting it changes nothing it means; the same spec gives the
// same bytes, in this process and in `mrp build`; every YAML file loads; every
// name that reaches AWS is within AWS's limits; what the spec says is what the
// files say; and the files agree with each other, down to running the build
// script on exactly the variables the CodeBuild project sets.
//
// MRP_PROP_SEED and MRP_PROP_COUNT choose the run. It stops at the first
// spec that fails, and prints the seed, the spec's number and its text;
// MRP_PROP_KEEP_GOING=1 goes on to report every failing spec.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/aws/names.h"
#include "compiler/aws/regions.h"
#include "compiler/base/rules.h"
#include "compiler/cli/driver.h"
#include "compiler/cli/writer.h"
#include "compiler/emit/shell_out.h"
#include "compiler/lint/lint.h"
#include "compiler/lower/lower_record.h"
#include "compiler/syntax/format.h"
#include "tests/aws_limits.h"
#include "tests/consistency.h"
#include "tests/ir_text.h"
#include "tests/spec_checks.h"
#include "tests/spec_gen.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::test::GeneratedSpec;
using mrp::test::read_text;
using mrp::test::Workspace;

namespace {

// Whether a spec's `permissions` grant anything.
bool has_permissions(const mrp::Permissions& p) {
  return p.admin || !p.managed_policies.empty() || !p.statements.empty() || !p.boundary.empty();
}

constexpr std::uint64_t default_seed = 20261126;
constexpr std::size_t default_count = 300;
// Running `mrp build` and the scripts takes ten times as long as the rest of a
// spec's checks; every tenth spec does it.
constexpr std::size_t scripts_every = 10;
// Deprecation warnings read for a fixed day: a warning never fails a spec,
// but the day keeps the diagnostics the same from one run to the next.
constexpr mrp::Date lint_day{2026, 11, 26};

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 0) : fallback;
}

// Counts failed assertions, so that the loop can stop at the first spec that
// fails and print it once, instead of with every failed check.
struct FailureCounter : doctest::IReporter {
  static inline int failures = 0;
  explicit FailureCounter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData& a) override { failures += a.m_failed ? 1 : 0; }
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("failure-counter", 1, FailureCounter);

// Compiles the spec as `mrp build SPEC -o REPO` does, from the files on disk.
mrp::CompileResult compile_in(const Workspace& ws, const GeneratedSpec& spec,
                              const std::string& text) {
  const fs::path file = ws.repo() / spec.spec_path;
  return mrp::compile(text, spec.spec_path, mrp::DiskFileReader(file.parent_path()),
                      mrp::lower_options_for(file.string(), ws.repo().string()), {lint_day});
}

std::string rendered(const mrp::CompileResult& r, const std::string& text) {
  return mrp::render_all(r.diags, text);
}

void write_spec(const Workspace& ws, const GeneratedSpec& spec) {
  for (const auto& [path, text] : spec.files) {
    fs::create_directories((ws.repo() / path).parent_path());
    std::ofstream(ws.repo() / path, std::ios::binary) << text;
  }
  fs::create_directories((ws.repo() / spec.spec_path).parent_path());
  std::ofstream(ws.repo() / spec.spec_path, std::ios::binary) << spec.text;
}

// Formatting reads back as the same IR and the same files, and is idempotent.
void check_format_keeps_meaning(const Workspace& ws, const GeneratedSpec& spec,
                                const mrp::CompileResult& original) {
  mrp::Diagnostics diags;
  const auto formatted = mrp::format_source(spec.text, spec.spec_path, diags);
  INFO(mrp::render_all(diags, spec.text));
  REQUIRE(formatted);
  const auto again = compile_in(ws, spec, *formatted);
  INFO("formatted:\n", *formatted);
  REQUIRE(again.ir);
  CHECK(mrp::dump_ir(*again.ir) == mrp::dump_ir(*original.ir));
  CHECK(mrp::test::ir_text(*again.ir) == mrp::test::ir_text(*original.ir));
  CHECK(again.outputs == original.outputs);
  mrp::Diagnostics more;
  CHECK(mrp::format_source(*formatted, spec.spec_path, more) == formatted);
}

// The files on disk are exactly the outputs, nothing else beside the spec
// and its templates (no temporary file).
void check_written(const Workspace& ws, const GeneratedSpec& spec, const mrp::Outputs& outputs) {
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(ws.repo())) {
    if (!e.is_regular_file()) continue;
    const std::string path = e.path().lexically_relative(ws.repo()).generic_string();
    if (spec.files.count(path) > 0 || path == spec.spec_path) continue;
    CAPTURE(path);
    REQUIRE(outputs.count(path) == 1);
    CHECK(read_text(e.path()) == outputs.at(path));
    ++files;
  }
  CHECK(files == outputs.size());
}

// `mrp build` in a process of its own writes exactly what compile() renders
// here; or, for the specs that do not run the scripts, the writer it uses.
void check_build(const Workspace& ws, const GeneratedSpec& spec, const mrp::Outputs& outputs,
                 bool with_mrp) {
  if (with_mrp) {
    const auto built = ws.run(
        mrp::test::mrp_command("build " + mrp::shell_quote(spec.spec_path) + " -o ."), ws.repo());
    INFO(built.err);
    REQUIRE(built.status == 0);
    // Then the plan of a first build, which the behaviour tests hold exactly.
    CHECK(built.out.rfind(fmt::format("mrp: wrote {} files under .\n", outputs.size()), 0) == 0);
  } else {
    REQUIRE(mrp::write_outputs(outputs, ws.repo()).ok());
  }
  check_written(ws, spec, outputs);
}

// How often each feature came up, and the largest of each bounded size. A
// full run must see every feature and reach the limits, so the generator
// cannot quietly stop making one.
class Coverage {
 public:
  /// A spec whose pipeline template outgrew --template-body, which mrp refused.
  void refused_as_too_large() { ++too_large_; }
  /// What a change of regions after the first build came to.
  void see_change(const std::string& outcome) {
    for (const std::string o :
         {"pipeline kept home by refusing", "nothing to retire", "something to retire"})
      see("region change: " + o, outcome == o);
  }

  void add(const GeneratedSpec& spec, const mrp::Ir& ir, const mrp::Outputs& outputs) {
    ++compiled_;
    const mrp::Source& src = ir.source;
    for (const auto& [kind, name] : {std::pair{mrp::SourceKind::github, "github"},
                                     {mrp::SourceKind::codestar, "codestar"},
                                     {mrp::SourceKind::codecommit, "codecommit"},
                                     {mrp::SourceKind::s3, "s3"}})
      see(fmt::format("source {}", name), src.kind == kind);
    const auto any_trigger = [&](mrp::GitTrigger::Event e) {
      return std::any_of(src.triggers.begin(), src.triggers.end(),
                         [&](const mrp::GitTrigger& t) { return t.event == e; });
    };
    see("push trigger", any_trigger(mrp::GitTrigger::Event::push));
    see("pull-request trigger", any_trigger(mrp::GitTrigger::Event::pull_request));
    const auto any_wave = [&](auto f) { return std::any_of(ir.waves.begin(), ir.waves.end(), f); };
    see("waves", !ir.waves[0].name.empty());
    see("plain region list", ir.waves[0].name.empty());
    see("approval", any_wave([](const mrp::Wave& w) { return w.approval.has_value(); }));
    see("approval with topic and timeout", any_wave([](const mrp::Wave& w) {
          return w.approval && !w.approval->topic_arn.empty() && w.approval->timeout_minutes;
        }));
    see("change-set review",
        any_wave([](const mrp::Wave& w) { return w.change_set_approval.has_value(); }));
    see("rollback", any_wave([](const mrp::Wave& w) { return w.rollback; }));
    see("deploy change-set", ir.deploy_mode == mrp::DeployMode::change_set);
    for (const auto& [mode, name] : {std::pair{mrp::ExecutionMode::superseded, "superseded"},
                                     {mrp::ExecutionMode::queued, "queued"},
                                     {mrp::ExecutionMode::parallel, "parallel"}})
      see(fmt::format("execution-mode {}", name), ir.execution_mode == mode);
    for (std::size_t n = 1; n <= 4; ++n) see(fmt::format("{} apps", n), ir.apps.size() == n);
    const auto any_app = [&](auto f) { return std::any_of(ir.apps.begin(), ir.apps.end(), f); };
    see("after", any_app([](const mrp::App& a) { return !a.after.empty(); }));
    see("parameters", any_app([](const mrp::App& a) { return !a.parameters.empty(); }));
    see("region parameters", any_app([](const mrp::App& a) {
          return std::any_of(a.parameters.begin(), a.parameters.end(),
                             [](const mrp::Parameter& p) { return !p.region.empty(); });
        }));
    see("template outside the spec's folder",
        any_app([](const mrp::App& a) { return a.template_in_spec.rfind("../", 0) == 0; }));
    see("spec in a subfolder", spec.spec_path.find('/') != std::string::npos);
    see("build env", !ir.build.env.empty());
    see("install", !ir.build.install.empty());
    see("run", !ir.build.run.empty());
    see("expire-after", ir.artifacts.expire_after_days.has_value());
    see("versioning off", !ir.artifacts.versioning);
    see("encryption kms", ir.artifacts.encryption == mrp::ArtifactEncryption::kms);
    see("access-logs", ir.artifacts.access_logs);
    see("token-secret", !ir.source.token_secret.empty());
    see("build permissions", has_permissions(ir.build.permissions));
    see("app permissions",
        any_app([](const mrp::App& a) { return has_permissions(a.permissions); }));
    see("CRLF", spec.text.find("\r\n") != std::string::npos);
    see("byte-order mark", spec.text.rfind("\xEF\xBB\xBF", 0) == 0);
    see("home-region", spec.text.find("home-region") != std::string::npos);
    see("build-with sam",
        any_app([](const mrp::App& a) { return a.build_with == mrp::BuildWith::sam; }));
    see("container images", ir.has_images());
    see("home not the first region", ir.home != 0);
    for (const auto& r : ir.regions)
      most("bucket name", mrp::bucket_name_length(ir.pipeline_name, r.code));
    for (const auto& app : ir.apps) {
      most("stack name", app.stack_name.size());
      for (const auto& names : app.regions)
        most("action name", ir.deploy_mode == mrp::DeployMode::direct
                                ? names.deploy_action.size()
                                : names.execute_change_set_action.size());
    }
    for (const auto& w : ir.waves) {
      most("wave name", w.name.size());
      const bool cs = ir.deploy_mode == mrp::DeployMode::change_set;
      most("actions in a stage", w.regions.size() * ir.apps.size() * (cs ? 2 : 1) +
                                     (w.approval ? 1 : 0) +
                                     (w.change_set_approval ? ir.apps.size() : 0));
    }
    most("regions", ir.regions.size());
    most("description bytes", ir.description.size());
    most("pipeline template bytes", outputs.at(ir.paths.pipeline_template).size());
  }

  std::string summary() const {
    std::string out = "features:";
    for (const auto& [name, n] : counts_) out += fmt::format(" {} {};", name, n);
    out += fmt::format("\ncompiled {}, refused as too large {}", compiled_, too_large_);
    out += "\nlargest:";
    for (const auto& [name, n] : maxima_) out += fmt::format(" {} {};", name, n);
    return out;
  }

  /// What a full run must have seen.
  void check_complete() const {
    for (const auto& [name, n] : counts_) CHECK_MESSAGE(n > 0, "no generated spec had ", name);
    // The generator aims inside the limit; a refusal must stay the exception.
    CHECK(too_large_ * 20 <= compiled_ + too_large_);
    CHECK(maxima_.at("bucket name") == 63);
    CHECK(maxima_.at("stack name") == 128);
    CHECK(maxima_.at("action name") == 100);
    CHECK(maxima_.at("wave name") == 90);
  }

 private:
  void see(const std::string& feature, bool yes) { counts_[feature] += yes ? 1 : 0; }
  void most(const std::string& what, std::size_t n) { maxima_[what] = std::max(maxima_[what], n); }
  std::map<std::string, std::size_t> counts_, maxima_;
  std::size_t compiled_ = 0, too_large_ = 0;
};

// Whether the only errors are `rule`'s.
bool only_errors_of(const mrp::Diagnostics& d, std::string_view rule) {
  bool any = false;
  for (const auto& x : d.all()) {
    if (x.severity != mrp::Severity::error) continue;
    if (x.rule != rule) return false;
    any = true;
  }
  return any;
}

// --- region changes against the record --------------------------------------

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// `text` with every whole-word `from` (not part of a longer name) made `to`.
std::string replace_word(const std::string& text, const std::string& from, const std::string& to) {
  std::string out;
  std::size_t i = 0;
  for (std::size_t at; (at = text.find(from, i)) != std::string::npos; i = at + from.size()) {
    const std::size_t end = at + from.size();
    const bool whole =
        (at == 0 || !name_char(text[at - 1])) && (end == text.size() || !name_char(text[end]));
    out += text.substr(i, at - i) + (whole ? to : from);
  }
  return out + text.substr(i);
}

std::string stack_key(const mrp::DeployedStack& d) {
  return fmt::format("{} {} {}", mrp::kind_name(d.kind), d.region, d.stack);
}

std::size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  std::size_t n = text.rfind(prefix, 0) == 0 ? 1 : 0;
  for (std::size_t at = 0; (at = text.find("\n" + prefix, at)) != std::string::npos; ++at) ++n;
  return n;
}

// A change of the spec after its files were built and committed: a region
// replaced by another, two regions swapped, or the pipeline renamed. Whatever
// it is, the new record deploys what the new spec does, and retires exactly
// what the old record deployed (or retired) and the new one does not; the
// pipeline keeps its home region or the build refuses; building again changes
// nothing; --forget-retired forgets.
void check_region_change(const Workspace& ws, const GeneratedSpec& spec, const mrp::Ir& before,
                         std::uint64_t seed, Coverage& coverage) {
  mrp::test::Rng r(seed ^ 0x5eed);
  const std::string home = before.home_region().code;
  const bool says_home = spec.text.find("home-region") != std::string::npos;
  std::string text = spec.text, change;
  bool renamed = false, refused = false;
  const std::string x = r.pick(spec.regions);
  std::vector<std::string> others;
  for (const auto code : mrp::commercial_region_codes())
    if (code.size() <= x.size() &&
        std::find(spec.regions.begin(), spec.regions.end(), code) == spec.regions.end())
      others.emplace_back(code);
  const unsigned kind = static_cast<unsigned>(r.below(3));
  if (kind == 0 && !others.empty()) {
    // Not longer than the region it replaces: names that reach their limit
    // (buckets, actions) stay within it.
    const std::string y = r.pick(others);
    change = fmt::format("{} replaced by {}", x, y);
    text = replace_word(text, x, y);
    refused = x == home;
  } else if (kind != 2 && spec.regions.size() > 1) {
    const std::string z = r.pick(spec.regions);
    change = fmt::format("{} and {} swapped", x, z);
    text = replace_word(replace_word(replace_word(text, x, "@swap@"), z, x), "@swap@", z);
    refused = says_home && x != z && (x == home || z == home);
  } else {
    std::string name = spec.pipeline;
    name.back() = name.back() == 'q' ? 'r' : 'q';
    change = fmt::format("pipeline renamed {}", name);
    text = replace_word(text, spec.pipeline, name);
    renamed = true;
  }
  INFO("after the build, ", change, "; the spec is now:\n", text);
  const auto after = compile_in(ws, spec, text);
  if (refused) {
    CHECK(only_errors_of(after.diags, mrp::rule::home_region));
    coverage.see_change("pipeline kept home by refusing");
    return;
  }
  {
    INFO(rendered(after, text));
    REQUIRE(after.outputs);
  }
  const mrp::Ir& ir = *after.ir;
  if (!renamed) CHECK(ir.home_region().code == home);
  CHECK(ir.record.deploys == mrp::deployed_stacks(ir));
  std::set<std::string> was, now, retiring;
  for (const auto* list : {&before.record.deploys, &before.record.retiring})
    for (const auto& d : *list) was.insert(stack_key(d));
  for (const auto& d : ir.record.deploys) now.insert(stack_key(d));
  for (const auto& d : ir.record.retiring) retiring.insert(stack_key(d));
  std::set<std::string> expected;
  std::set_difference(was.begin(), was.end(), now.begin(), now.end(),
                      std::inserter(expected, expected.end()));
  CHECK(retiring == expected);
  CHECK(retiring.size() == ir.record.retiring.size());
  // A retired bucket stack keeps the buckets the old record gave it.
  for (const auto& d : ir.record.retiring)
    for (const auto* list : {&before.record.deploys, &before.record.retiring})
      for (const auto& old : *list)
        if (old.same_stack(d)) CHECK(old.buckets == d.buckets);
  coverage.see_change(retiring.empty() ? "nothing to retire" : "something to retire");

  // retire.sh deletes each retiring entry once; teardown.sh everything.
  const std::string& retire = after.outputs->at(ir.paths.retire_script);
  const std::string& teardown = after.outputs->at(ir.paths.teardown_script);
  for (const auto& [kind_, call] :
       {std::pair{mrp::DeployedStack::Kind::app, "delete_app_stack "},
        {mrp::DeployedStack::Kind::buckets, "delete_bucket_stack "},
        {mrp::DeployedStack::Kind::pipeline, "delete_pipeline_stack "}}) {
    const auto of_kind = [kind = kind_](const std::vector<mrp::DeployedStack>& list) {
      return static_cast<std::size_t>(std::count_if(
          list.begin(), list.end(), [&](const mrp::DeployedStack& d) { return d.kind == kind; }));
    };
    CAPTURE(call);
    CHECK(count_lines_starting(retire, call) == of_kind(ir.record.retiring));
    CHECK(count_lines_starting(teardown, call) ==
          of_kind(ir.record.retiring) + of_kind(ir.record.deploys));
  }

  // Built and built again: the same files, what waits to be retired kept.
  REQUIRE(mrp::write_outputs(*after.outputs, ws.repo()).ok());
  const auto again = compile_in(ws, spec, text);
  REQUIRE(again.outputs);
  CHECK(*again.outputs == *after.outputs);
  // Forgotten: nothing waits, and the record deploys the same.
  const fs::path file = ws.repo() / spec.spec_path;
  mrp::LowerOptions forget = mrp::lower_options_for(file.string(), ws.repo().string());
  forget.forget_retired = true;
  const auto forgotten = mrp::compile(text, spec.spec_path, mrp::DiskFileReader(file.parent_path()),
                                      forget, {lint_day});
  REQUIRE(forgotten.ir);
  CHECK(forgotten.ir->record.retiring.empty());
  CHECK(forgotten.ir->record.deploys == ir.record.deploys);
}

// Runs one spec's checks; `with_scripts` also runs `mrp build` and the
// generated scripts, which takes most of the time.
void check_one(std::uint64_t seed, bool with_scripts, Coverage& coverage) {
  const GeneratedSpec spec = mrp::test::generate_spec(seed);
  Workspace ws;
  write_spec(ws, spec);
  const auto first = compile_in(ws, spec, spec.text);
  // The generator does not add up sizes: a spec with many apps and regions
  // and long values can outgrow the 1 MB CloudFormation reads from S3, and
  // then mrp must refuse it, which is right; the lint's size bound must have
  // seen it coming.
  if (only_errors_of(first.diags, mrp::rule::template_size)) {
    REQUIRE(first.ir);
    CHECK(mrp::pipeline_template_may_be_too_large(*first.ir));
    coverage.refused_as_too_large();
    return;
  }
  {
    INFO(rendered(first, spec.text));
    REQUIRE_FALSE(first.diags.has_errors());
    REQUIRE(first.outputs);
  }
  const std::string folder = fs::path(spec.spec_path).parent_path().generic_string();
  for (std::size_t i = 0; i < spec.apps.size(); ++i)
    CHECK(first.ir->apps[i].template_path ==
          (fs::path(folder) / spec.apps[i].template_path).lexically_normal().generic_string());
  // `mrp lint` renders the pipeline template only when this bound says it
  // could be too large: it must never be below the real size.
  CHECK(first.outputs->at("deployment-pipeline/pipeline.yaml").size() <=
        mrp::pipeline_template_size_bound(*first.ir));
  const auto second = compile_in(ws, spec, spec.text);
  CHECK(second.outputs == first.outputs);
  CHECK(rendered(second, spec.text) == rendered(first, spec.text));
  check_format_keeps_meaning(ws, spec, first);
  check_build(ws, spec, *first.outputs, with_scripts);
  for (const auto& [path, text] : *first.outputs)
    if (fs::path(path).extension() == ".yaml") mrp::test::check_yaml_loads(path, text);
  mrp::test::check_meaning(spec, *first.outputs);
  mrp::test::check_references(spec, *first.outputs);
  mrp::test::check_aws_limits(*first.outputs);
  coverage.add(spec, *first.ir, *first.outputs);
  CHECK(first.ir->home_region().code == spec.home);
  if (with_scripts) {
    for (const auto& command : spec.commands) ws.stub(command);
    mrp::test::check_files_agree(ws, *first.ir);
  }
  check_region_change(ws, spec, *first.ir, seed, coverage);
}

}  // namespace

TEST_SUITE("properties") {
  TEST_CASE("generated specs compile, format, render and agree as they should") {
    const std::uint64_t seed = env_number("MRP_PROP_SEED", default_seed);
    const std::size_t count = env_number("MRP_PROP_COUNT", default_count);
    Coverage coverage;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t s = mrp::test::spec_seed(seed, i);
      const bool keep_going = std::getenv("MRP_PROP_KEEP_GOING") != nullptr;
      // The spec and its templates, so that it can be built by hand as well.
      const auto report = [&] {
        const GeneratedSpec spec = mrp::test::generate_spec(s);
        std::string files;
        for (const auto& [path, text] : spec.files) files += fmt::format("{} is:\n{}", path, text);
        MESSAGE(
            fmt::format("generated spec #{} of MRP_PROP_SEED={} failed; to run up to it again: "
                        "MRP_PROP_SEED={} MRP_PROP_COUNT={} mrp_tests --test-suite=properties\n"
                        "{} is:\n{}\n{}",
                        i, seed, seed, i + 1, spec.spec_path, spec.text, files));
      };
      const int before = FailureCounter::failures;
      INFO("generated spec #", i, " of MRP_PROP_SEED=", seed);
      try {
        check_one(s, i % scripts_every == 0, coverage);
      } catch (...) {
        report();
        if (!keep_going) throw;
        continue;
      }
      if (FailureCounter::failures != before) {
        report();
        if (!keep_going) return;
      }
    }
    MESSAGE(
        fmt::format("{} generated specs, MRP_PROP_SEED={}\n{}", count, seed, coverage.summary()));
    if (count >= default_count) coverage.check_complete();
  }
}
