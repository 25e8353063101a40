#include "compiler/lower/lower_regions.h"

#include <algorithm>
#include <deque>
#include <regex>

#include <fmt/format.h>

#include "compiler/aws/names.h"
#include "compiler/aws/regions.h"
#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"
#include "compiler/lower/schema.h"

namespace mrp {
namespace {

using B = BlockRule;

const std::vector<DirectiveShape> approve_shapes = {
    {.name = "topic",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "the ARN of the SNS topic to notify"},
    {.name = "timeout",
     .min_args = 1,
     .max_args = 1,
     .arg_hint = "how long to wait, such as `4h` or `2d`"}};

// Manual approval timeouts: 5 minutes to 86,400 minutes, 60 days (CodePipeline
// User Guide, "Quotas in AWS CodePipeline", and ActionDeclaration TimeoutInMinutes).
constexpr int min_approval_minutes = 5;
constexpr int max_approval_minutes = 86400;

class RegionLowering {
 public:
  RegionLowering(Ir& ir, Diagnostics& diags) : ir_(ir), diags_(diags) {}

  void run(const Directive& d) {
    const bool has_waves = std::any_of(d.children.begin(), d.children.end(),
                                       [](const Directive& c) { return c.name == "wave"; });
    if (has_waves) {
      waves(d);
    } else {
      Wave w;
      w.stage_name = "Deploy";
      w.pos = d.pos;
      ir_.waves.push_back(std::move(w));
      const auto regions = listed(d);
      if (regions.empty())
        diags_.error(d.pos, rule::argument_count,
                     "`regions` needs at least one region, e.g. `regions us-east-1 us-west-2`");
      for (const Argument* a : regions) add_region(*a);
    }
  }

 private:
  // The regions of a list: the directive's arguments, then in a block each
  // line's name (the grammar reads the first region as a directive name) and
  // arguments.
  // A wave's own argument is its name, not a region: `with_args` is false there.
  std::vector<const Argument*> listed(const Directive& d, bool with_args = true) {
    std::vector<const Argument*> out;
    if (with_args)
      for (const auto& a : d.args) out.push_back(&a);
    for (const auto& line : d.children) {
      if (line.name == "approve" || line.name == "approve-change-sets" ||
          line.name == "on-failure" || line.name == "account")
        continue;
      if (line.has_block) {
        diags_.error(line.block_pos, rule::block_shape,
                     "a region in `regions { … }` does not take a block");
        continue;
      }
      names_.push_back({Argument::Kind::word, line.name, line.pos});
      out.push_back(&names_.back());
      for (const auto& a : line.args) out.push_back(&a);
    }
    return out;
  }

  void waves(const Directive& d) {
    if (!d.args.empty())
      diags_.error(d.args[0].pos, rule::wave,
                   "with waves, every region goes in a `wave NAME { … }`; move this one into one");
    static const std::regex valid_name{"[A-Za-z0-9_-]{1,90}"};
    for (const auto& child : d.children) {
      if (child.name != "wave") {
        diags_.error(child.pos, rule::wave,
                     fmt::format("with waves, every region goes in a `wave NAME {{ … }}`; move "
                                 "`{}` into one",
                                 child.name));
        continue;
      }
      if (child.args.size() != 1 || !child.has_block) {
        diags_.error(child.pos, rule::wave, "a wave is `wave NAME { REGION… }`");
        continue;
      }
      const Argument& name = child.args[0];
      if (!std::regex_match(name.value, valid_name))
        diags_.error(name.pos, rule::wave,
                     fmt::format("wave name `{}` must be 1 to 90 letters, digits, `_` or `-`: it "
                                 "names the stage Deploy-{}",
                                 name.value, name.value));
      for (const auto& w : ir_.waves)
        if (w.name == name.value)
          diags_.error(name.pos, rule::wave, fmt::format("wave `{}` is named twice", name.value));
      Wave w;
      w.name = name.value;
      w.stage_name = "Deploy-" + name.value;
      w.pos = child.pos;
      options(child, w);
      ir_.waves.push_back(std::move(w));
      const auto regions = listed(child, false);
      if (regions.empty())
        diags_.error(child.pos, rule::wave, fmt::format("wave `{}` lists no region", name.value));
      for (const Argument* a : regions) add_region(*a);
    }
  }

  // `approve`, `account` and `on-failure rollback` inside a wave.
  void options(const Directive& wave, Wave& w) {
    const Directive* first_account = nullptr;
    for (const auto& line : wave.children) {
      if (line.name == "approve" || line.name == "approve-change-sets") {
        auto& slot = line.name == "approve" ? w.approval : w.change_set_approval;
        if (slot)
          diags_.error(line.pos, rule::duplicate_directive,
                       fmt::format("`{}` is given twice in a wave", line.name));
        slot = approval(line);
      } else if (line.name == "account") {
        // Counted here, not by w.account: a first `account` with a bad id
        // leaves it empty.
        if (first_account)
          diags_.error(line.pos, rule::duplicate_directive,
                       fmt::format("`account` is given twice in a wave; the first is on line {}: "
                                   "a wave deploys to one account",
                                   first_account->pos.line));
        else
          account(line, w);
        first_account = &line;
      } else if (line.name == "on-failure") {
        if (line.args.size() != 1 || line.args[0].value != "rollback" || line.has_block) {
          diags_.error(line.pos, rule::wave,
                       "`on-failure` takes `rollback`: `on-failure rollback`");
          continue;
        }
        w.rollback = true;
      }
    }
  }

  // `account ID`: the wave deploys into another account.
  void account(const Directive& line, Wave& w) {
    if (line.args.size() != 1 || line.has_block) {
      diags_.error(line.pos, rule::account,
                   "`account` takes the 12-digit id of the account the wave deploys to: "
                   "`account 222233334444`");
      return;
    }
    const Argument& id = line.args[0];
    if (!text::is_account_id(id.value)) {
      diags_.error(id.pos, rule::account, not_an_account_id(id.value));
      return;
    }
    if (id.value == ir_.pipeline_account) {
      diags_.error(id.pos, rule::account,
                   fmt::format("{} is the pipeline's own account; leave `account` out of the "
                               "wave to deploy there",
                               id.value));
      return;
    }
    w.account = id.value;
    w.account_pos = id.pos;
  }

  // `approve` or `approve-change-sets`, bare or with a block of options.
  Approval approval(const Directive& line) {
    Approval a;
    a.pos = line.pos;
    if (!line.args.empty())
      diags_.error(line.args[0].pos, rule::argument_count,
                   fmt::format("`{}` takes no argument; a topic or timeout goes in its block: "
                               "`{} {{ topic ARN; timeout 2d }}`",
                               line.name, line.name));
    const Children c = check_children(line, line.children, approve_shapes, diags_);
    if (const auto it = c.find("topic"); it != c.end()) topic(it->second.front()->args[0], a);
    if (const auto it = c.find("timeout"); it != c.end()) timeout(it->second.front()->args[0], a);
    return a;
  }

  void topic(const Argument& arg, Approval& a) {
    static const std::regex arn{"arn:aws:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}"};
    if (!std::regex_match(arg.value, arn))
      diags_.error(arg.pos, rule::wave,
                   fmt::format("`{}` is not an SNS topic ARN: expected "
                               "arn:aws:sns:REGION:ACCOUNT:NAME",
                               arg.value));
    a.topic_arn = arg.value;
  }

  void timeout(const Argument& arg, Approval& a) {
    static const std::regex form{"([1-9][0-9]{0,5})([mhd])"};
    std::smatch m;
    if (std::regex_match(arg.value, m, form)) {
      const int n = std::stoi(m[1].str());
      const int minutes = m[2] == "m" ? n : m[2] == "h" ? n * 60 : n * 1440;
      if (minutes >= min_approval_minutes && minutes <= max_approval_minutes) {
        a.timeout_minutes = minutes;
        return;
      }
    }
    diags_.error(arg.pos, rule::duration,
                 fmt::format("approval timeout `{}` must be minutes, hours or days (`90m`, `4h`, "
                             "`7d`) from 5 minutes to 60 days",
                             arg.value));
  }

  void add_region(const Argument& a) {
    if (a.value.rfind("us-gov-", 0) == 0 || a.value.rfind("cn-", 0) == 0) {
      diags_.error(a.pos, rule::unknown_region,
                   fmt::format("`{}` is in another AWS partition (GovCloud or China), whose ARNs "
                               "and endpoints differ; mrp targets the commercial regions",
                               a.value));
      return;
    }
    if (!is_commercial_region(a.value)) {
      const std::string_view guess = closest_word(a.value, commercial_region_codes());
      diags_.error(a.pos, rule::unknown_region,
                   guess.empty()
                       ? fmt::format("unknown region `{}`; expected a commercial AWS "
                                     "region code such as `us-east-1`",
                                     a.value)
                       : fmt::format("unknown region `{}`; did you mean `{}`?", a.value, guess));
      return;
    }
    const auto same = std::find_if(ir_.regions.begin(), ir_.regions.end(),
                                   [&](const TargetRegion& r) { return r.code == a.value; });
    if (same != ir_.regions.end()) {
      // A region is deployed once per account: twice in one account would
      // deploy the same stacks twice.
      const std::size_t index = static_cast<std::size_t>(same - ir_.regions.begin());
      const std::string& account = ir_.waves.back().account;
      for (const auto& w : ir_.waves)
        if (w.account == account &&
            std::find(w.regions.begin(), w.regions.end(), index) != w.regions.end()) {
          diags_.error(a.pos, rule::duplicate_region,
                       account.empty()
                           ? fmt::format("region `{}` is listed twice", a.value)
                           : fmt::format("region `{}` is listed twice for account {}, which would "
                                         "deploy its stacks there twice: list it in one wave of "
                                         "that account",
                                         a.value, account));
          return;
        }
      ir_.waves.back().regions.push_back(index);
      return;
    }
    const std::size_t length = bucket_name_length(ir_.pipeline_name, a.value);
    if (length > max_bucket_name_length) {
      diags_.error(a.pos, rule::bucket_name,
                   fmt::format("bucket name `{}-123456789012-{}` would be {} characters; S3 "
                               "allows {}: shorten the pipeline name to at most {} characters",
                               ir_.pipeline_name, a.value, length, max_bucket_name_length,
                               ir_.pipeline_name.size() - (length - max_bucket_name_length)));
    }
    TargetRegion r;
    r.code = a.value;
    r.bucket_name_sub = bucket_name_sub(ir_.pipeline_name, a.value);
    r.bucket_env_var = bucket_env_var(a.value);
    r.image_repository_env_var = image_repository_env_var(a.value);
    r.image_repository_uri_sub = image_repository_uri_sub(ir_.pipeline_name, a.value);
    r.pos = a.pos;
    ir_.waves.back().regions.push_back(ir_.regions.size());
    ir_.regions.push_back(std::move(r));
  }

  Ir& ir_;
  Diagnostics& diags_;
  std::deque<Argument> names_;  // region names read as directive names; stable addresses
};

// The pipeline's roles and the target accounts' roles and template, named
// once here.
TargetAccount target_account(const Ir& ir, const Wave& w) {
  TargetAccount a;
  a.id = w.account;
  a.pos = w.account_pos;
  a.template_path = fmt::format("deployment-pipeline/target-account-{}.yaml", w.account);
  a.stack = target_account_stack(ir.pipeline_name);
  a.action_role_name = ir.pipeline_name + "-action";
  a.deploy_role_name = ir.pipeline_name + "-deploy";
  const std::string prefix =
      fmt::format("arn:${{AWS::Partition}}:iam::{}:role/mrp/{}/", w.account, ir.pipeline_name);
  a.action_role_arn_sub = prefix + a.action_role_name;
  a.deploy_role_arn_sub = prefix + a.deploy_role_name;
  return a;
}

// The accounts in order of first use, each with its regions in wave order. A
// later wave may name an account an earlier one named: its regions join that
// account's, not the last one added.
void collect_target_accounts(Ir& ir) {
  for (const auto& w : ir.waves) {
    if (w.account.empty()) continue;
    if (!ir.target_account(w.account)) ir.target_accounts.push_back(target_account(ir, w));
    for (auto& a : ir.target_accounts) {
      if (a.id != w.account) continue;
      for (std::size_t r : w.regions)
        if (std::find(a.regions.begin(), a.regions.end(), r) == a.regions.end())
          a.regions.push_back(r);
    }
  }
}

}  // namespace

std::string not_an_account_id(std::string_view id) {
  return fmt::format(
      "`{}` is not an AWS account id, which is 12 digits: write it without dashes "
      "or spaces, such as `account 111122223333`",
      id);
}

void use_artifact_keys(Ir& ir) {
  ir.artifacts.encryption = ArtifactEncryption::kms;
  ir.artifacts.key_alias = fmt::format("alias/{}-artifacts", ir.pipeline_name);
  ir.artifacts.role_path = fmt::format("/mrp/{}/", ir.pipeline_name);
}

void lower_target_accounts(Ir& ir, Diagnostics& diags) {
  collect_target_accounts(ir);
  if (!ir.cross_account()) return;
  const TargetAccount& first = ir.target_accounts.front();
  // An `account` with a bad id has had its error; the pipeline's is missing
  // only when none is written.
  if (ir.pipeline_account.empty() && ir.pipeline_account_pos.file.empty())
    diags.error(first.pos, rule::account,
                fmt::format("a wave in account {} needs the pipeline's own account, which its "
                            "roles trust: add `account ID` to the pipeline",
                            first.id));
  // Cross-account actions cannot read artifacts under S3's own keys: only a
  // customer managed key's policy can let another account decrypt them. So
  // the keys are implied, and `encryption s3` is a mistake.
  if (ir.artifacts.encryption != ArtifactEncryption::kms) {
    if (!ir.artifacts.encryption_pos.file.empty())
      diags.error(ir.artifacts.encryption_pos, rule::account,
                  fmt::format("`encryption s3`: a wave in account {} reads the artifacts from "
                              "the pipeline's account, which S3 managed keys do not allow; use "
                              "`encryption kms`, or leave `encryption` out (kms is implied)",
                              first.id));
    use_artifact_keys(ir);
  }
  if (ir.has_images())
    diags.error(first.pos, rule::account,
                fmt::format("a wave in account {} with container-image functions: mrp does "
                            "not yet let another account's functions pull the images",
                            first.id));
  ir.pipeline_role_name = ir.pipeline_name + "-pipeline";
  for (auto& r : ir.regions) r.key_parameter = "ArtifactKey" + region_pascal_case(r.code);
}

void lower_regions(const Directive& d, Ir& ir, Diagnostics& diags) {
  RegionLowering(ir, diags).run(d);
}

}  // namespace mrp
