#include "compiler/lower/lower_source.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "compiler/aws/github.h"
#include "compiler/base/rules.h"
#include "compiler/lower/schema.h"

namespace mrp {
namespace {

using B = BlockRule;

const std::vector<DirectiveShape> github_shapes = {
    {.name = "owner",
     .min_args = 1,
     .max_args = 1,
     .required = true,
     .arg_hint = "the GitHub user or organisation"},
    {.name = "repo",
     .min_args = 1,
     .max_args = 1,
     .required = true,
     .arg_hint = "the repository name"},
    {.name = "branch",
     .min_args = 1,
     .max_args = 1,
     .required = true,
     .arg_hint = "the branch to build"},
    {.name = "token-secret",
     .min_args = 1,
     .max_args = 2,
     .arg_hint = "a Secrets Manager secret's name or ARN, and the token's JSON key in it"},
    {.name = "trigger",
     .min_args = 1,
     .max_args = 1,
     .block = B::required,
     .repeats = true,
     .arg_hint = "`push` or `pull-request`"}};
const std::vector<DirectiveShape> codestar_shapes = {{.name = "connection",
                                                      .min_args = 1,
                                                      .max_args = 1,
                                                      .required = true,
                                                      .arg_hint = "the connection's ARN"},
                                                     {.name = "repo",
                                                      .min_args = 1,
                                                      .max_args = 1,
                                                      .required = true,
                                                      .arg_hint = "the repository as OWNER/NAME"},
                                                     {.name = "branch",
                                                      .min_args = 1,
                                                      .max_args = 1,
                                                      .required = true,
                                                      .arg_hint = "the branch to build"},
                                                     {.name = "trigger",
                                                      .min_args = 1,
                                                      .max_args = 1,
                                                      .block = B::required,
                                                      .repeats = true,
                                                      .arg_hint = "`push` or `pull-request`"}};
const std::vector<DirectiveShape> codecommit_shapes = {
    {.name = "repo",
     .min_args = 1,
     .max_args = 1,
     .required = true,
     .arg_hint = "the CodeCommit repository name"},
    {.name = "branch",
     .min_args = 1,
     .max_args = 1,
     .required = true,
     .arg_hint = "the branch to build"},
    {.name = "trigger",
     .min_args = 1,
     .max_args = 1,
     .block = B::required,
     .repeats = true,
     .arg_hint = "`push` or `pull-request`"}};
const std::vector<DirectiveShape> s3_shapes = {{.name = "bucket",
                                                .min_args = 1,
                                                .max_args = 1,
                                                .required = true,
                                                .arg_hint = "the source bucket"},
                                               {.name = "key",
                                                .min_args = 1,
                                                .max_args = 1,
                                                .required = true,
                                                .arg_hint = "the object key of the source zip"},
                                               {.name = "trigger",
                                                .min_args = 1,
                                                .max_args = 1,
                                                .block = B::required,
                                                .repeats = true,
                                                .arg_hint = "`push` or `pull-request`"}};

const std::vector<DirectiveShape> push_shapes = {
    {.name = "branches", .min_args = 1, .max_args = any_count, .arg_hint = "branch patterns"},
    {.name = "exclude-branches",
     .min_args = 1,
     .max_args = any_count,
     .arg_hint = "branch patterns"},
    {.name = "tags", .min_args = 1, .max_args = any_count, .arg_hint = "tag patterns"},
    {.name = "exclude-tags", .min_args = 1, .max_args = any_count, .arg_hint = "tag patterns"},
    {.name = "file-paths", .min_args = 1, .max_args = any_count, .arg_hint = "file path patterns"},
    {.name = "exclude-file-paths",
     .min_args = 1,
     .max_args = any_count,
     .arg_hint = "file path patterns"}};
const std::vector<DirectiveShape> pull_request_shapes = {
    {.name = "events", .min_args = 1, .max_args = 3, .arg_hint = "`open`, `updated` or `closed`"},
    {.name = "branches", .min_args = 1, .max_args = any_count, .arg_hint = "branch patterns"},
    {.name = "exclude-branches",
     .min_args = 1,
     .max_args = any_count,
     .arg_hint = "branch patterns"},
    {.name = "file-paths", .min_args = 1, .max_args = any_count, .arg_hint = "file path patterns"},
    {.name = "exclude-file-paths",
     .min_args = 1,
     .max_args = any_count,
     .arg_hint = "file path patterns"}};

const std::vector<std::string_view> source_kinds = {"github", "codestar", "codecommit", "s3"};
const std::vector<std::string_view> trigger_events = {"push", "pull-request"};
const std::vector<std::string_view> pull_request_events = {"open", "updated", "closed"};

// CodePipeline V2 triggers (CodePipeline API Reference, GitConfiguration and
// GitBranchFilterCriteria): at most 3 push and 3 pull request filters, and at
// most 8 patterns in each include or exclude list.
constexpr std::size_t max_filters = 3;
constexpr std::size_t max_patterns = 8;

const Argument* find(const Children& c, std::string_view name) {
  const auto it = c.find(name);
  return it == c.end() ? nullptr : &it->second.front()->args[0];
}

class SourceLowering {
 public:
  SourceLowering(Source& out, Diagnostics& diags) : out_(out), diags_(diags) {}

  void run(const Directive& d) {
    out_.pos = d.pos;
    out_.given = true;
    const Argument& kind = d.args[0];
    if (kind.value == "github") {
      out_.kind = SourceKind::github;
      const Children c = check_children(d, d.children, github_shapes, diags_);
      github(c);
      triggers(c);
    } else if (kind.value == "codestar") {
      out_.kind = SourceKind::codestar;
      const Children c = check_children(d, d.children, codestar_shapes, diags_);
      codestar(c);
      triggers(c);
    } else if (kind.value == "codecommit") {
      out_.kind = SourceKind::codecommit;
      const Children c = check_children(d, d.children, codecommit_shapes, diags_);
      codecommit(c);
      triggers(c);
    } else if (kind.value == "s3") {
      out_.kind = SourceKind::s3;
      const Children c = check_children(d, d.children, s3_shapes, diags_);
      s3(c);
      triggers(c);
    } else if (kind.value == "gitlab" || kind.value == "bitbucket") {
      out_.given = false;
      diags_.error(kind.pos, rule::source_kind,
                   fmt::format("{} repositories come through a CodeStar connection: use `source "
                               "codestar {{ connection ARN; repo OWNER/NAME; branch B }}`",
                               kind.value == "gitlab" ? "GitLab" : "Bitbucket"));
    } else {
      out_.given = false;
      diags_.error(kind.pos, rule::source_kind,
                   fmt::format("unknown source kind `{}`{}", kind.value,
                               suggestion(kind.value, source_kinds)));
    }
  }

 private:
  void github(const Children& c) {
    if (const Argument* a = find(c, "owner")) {
      if (!is_github_owner(a->value))
        diags_.error(a->pos, rule::github_owner,
                     fmt::format("GitHub owner `{}` must be letters, digits and hyphens, at "
                                 "most 39, not starting with a hyphen",
                                 a->value));
      out_.owner = a->value;
    }
    if (const Argument* a = find(c, "repo")) {
      if (!is_github_repo(a->value))
        diags_.error(a->pos, rule::github_repo,
                     fmt::format("GitHub repository `{}` must be letters, digits, `_`, `.` "
                                 "and `-`, at most 100",
                                 a->value));
      out_.repo = a->value;
    }
    branch(c);
    token_secret(c);
  }

  // The token from Secrets Manager, through a CloudFormation dynamic
  // reference: `{{resolve:secretsmanager:ID:SecretString:KEY}}`.
  void token_secret(const Children& c) {
    const auto it = c.find("token-secret");
    if (it == c.end()) return;
    const Directive& d = *it->second.front();
    // Secret names (Secrets Manager API Reference, CreateSecret): 1 to 512 of
    // letters, digits and /_+=.@-; or the secret's ARN.
    static const std::regex id{
        "[A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:"
        "[A-Za-z0-9/_+=.@-]{1,512}"};
    static const std::regex key{"[A-Za-z0-9_.@/+=-]{1,256}"};
    const Argument& secret = d.args[0];
    if (!std::regex_match(secret.value, id))
      diags_.error(secret.pos, rule::source_value,
                   fmt::format("`{}` is not a Secrets Manager secret name (letters, digits and "
                               "/_+=.@-, at most 512) or secret ARN",
                               secret.value));
    out_.token_secret = secret.value;
    out_.token_reference = fmt::format("{{{{resolve:secretsmanager:{}}}}}", secret.value);
    if (d.args.size() < 2) return;
    if (!std::regex_match(d.args[1].value, key))
      diags_.error(d.args[1].pos, rule::source_value,
                   fmt::format("JSON key `{}` must be letters, digits and _.@/+=-, so that "
                               "the dynamic reference reads it",
                               d.args[1].value));
    out_.token_reference = fmt::format("{{{{resolve:secretsmanager:{}:SecretString:{}}}}}",
                                       secret.value, d.args[1].value);
  }

  void codestar(const Children& c) {
    // Connection ARNs (CodeConnections API Reference, Connection): the service
    // is `codestar-connections`, or `codeconnections` since the rename.
    static const std::regex arn{
        "arn:aws:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/"
        "[0-9a-f-]{36}"};
    if (const Argument* a = find(c, "connection")) {
      if (!std::regex_match(a->value, arn))
        diags_.error(a->pos, rule::source_value,
                     fmt::format("`{}` is not a connection ARN: expected "
                                 "arn:aws:codeconnections:REGION:ACCOUNT:connection/ID",
                                 a->value));
      out_.connection_arn = a->value;
    }
    // FullRepositoryId: OWNER/NAME, where GitLab owners may be nested groups.
    static const std::regex full_id{"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+"};
    if (const Argument* a = find(c, "repo")) {
      if (!std::regex_match(a->value, full_id) || a->value.size() > 256)
        diags_.error(a->pos, rule::source_value,
                     fmt::format("repository `{}` must be OWNER/NAME, such as "
                                 "`acme/orders-api` (letters, digits, `_`, `.`, `-`)",
                                 a->value));
      out_.repo = a->value;
    }
    branch(c);
  }

  void codecommit(const Children& c) {
    // CodeCommit repository names: 1 to 100 of letters, digits, `_`, `.`, `-`
    // (CodeCommit User Guide, Quotas).
    static const std::regex name{"[A-Za-z0-9_.-]{1,100}"};
    if (const Argument* a = find(c, "repo")) {
      const bool dot_git = a->value.size() >= 4 && a->value.substr(a->value.size() - 4) == ".git";
      if (!std::regex_match(a->value, name) || dot_git)
        diags_.error(a->pos, rule::source_value,
                     fmt::format("CodeCommit repository `{}` must be 1 to 100 letters, digits, "
                                 "`_`, `.` or `-`, not ending in `.git`",
                                 a->value));
      out_.repo = a->value;
    }
    branch(c);
  }

  void s3(const Children& c) {
    // S3 bucket naming rules: 3 to 63 lower-case letters, digits, `.` and `-`,
    // starting and ending with a letter or digit.
    static const std::regex bucket{"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"};
    if (const Argument* a = find(c, "bucket")) {
      if (!std::regex_match(a->value, bucket) || a->value.find("..") != std::string::npos)
        diags_.error(a->pos, rule::source_value,
                     fmt::format("S3 bucket `{}` must be 3 to 63 lower-case letters, digits, "
                                 "`.` and `-`, starting and ending with a letter or digit",
                                 a->value));
      out_.bucket = a->value;
    }
    if (const Argument* a = find(c, "key")) {
      if (a->value.empty())
        diags_.error(a->pos, rule::source_value,
                     "the object key is empty; S3 keys are 1 to 1,024 bytes: write the key of "
                     "the source zip, such as `source.zip`");
      else if (a->value.front() == '/')
        diags_.error(a->pos, rule::source_value,
                     fmt::format("object key `{}` starts with `/`; S3 keys have no leading "
                                 "slash: write `{}`",
                                 a->value, a->value.substr(1)));
      out_.key = a->value;
    }
  }

  // `trigger` directives, after the kind's own directives were lowered.
  void triggers(const Children& c) {
    const auto it = c.find("trigger");
    if (it == c.end()) return;
    std::size_t count[2] = {0, 0};
    for (const Directive* d : it->second) {
      const Argument& event = d->args[0];
      if (out_.kind != SourceKind::codestar) {
        diags_.error(d->pos, rule::trigger,
                     "trigger filters need a connection source (`source codestar`): CodePipeline "
                     "filters only CodeStarSourceConnection triggers");
        continue;
      }
      GitTrigger t;
      t.pos = d->pos;
      if (event.value == "push") {
        t.event = GitTrigger::Event::push;
        const Children f = check_children(*d, d->children, push_shapes, diags_);
        filter(f, "branches", t.branches);
        filter(f, "tags", t.tags);
        filter(f, "file-paths", t.file_paths);
        if (t.branches.empty() && t.tags.empty())
          diags_.error(d->pos, rule::trigger,
                       "a push trigger needs `branches` or `tags` to say which pushes start the "
                       "pipeline");
      } else if (event.value == "pull-request") {
        t.event = GitTrigger::Event::pull_request;
        const Children f = check_children(*d, d->children, pull_request_shapes, diags_);
        filter(f, "branches", t.branches);
        filter(f, "file-paths", t.file_paths);
        events(f, t);
      } else {
        diags_.error(event.pos, rule::trigger,
                     fmt::format("unknown trigger `{}`{}", event.value,
                                 suggestion(event.value, trigger_events)));
        continue;
      }
      if (++count[static_cast<int>(t.event)] > max_filters) {
        diags_.error(d->pos, rule::trigger,
                     fmt::format("more than {} `trigger {}` filters; CodePipeline takes at most {}",
                                 max_filters, event.value, max_filters));
      }
      out_.triggers.push_back(std::move(t));
    }
  }

  void filter(const Children& c, const std::string& name, GitFilter& out) {
    for (const auto& [key, list] :
         {std::pair{name, &out.includes}, std::pair{"exclude-" + name, &out.excludes}}) {
      const auto it = c.find(key);
      if (it == c.end()) continue;
      const Directive& d = *it->second.front();
      if (d.args.size() > max_patterns)
        diags_.error(d.args[max_patterns].pos, rule::trigger,
                     fmt::format("`{}` has {} patterns; CodePipeline takes at most {} in a filter",
                                 key, d.args.size(), max_patterns));
      for (const auto& a : d.args) list->push_back(a.value);
    }
  }

  void events(const Children& c, GitTrigger& t) {
    const auto it = c.find("events");
    if (it == c.end()) {
      t.pull_request_events = {"OPEN", "UPDATED", "CLOSED"};  // CodePipeline's default
      return;
    }
    for (const auto& a : it->second.front()->args) {
      if (std::find(pull_request_events.begin(), pull_request_events.end(), a.value) ==
          pull_request_events.end()) {
        diags_.error(a.pos, rule::trigger,
                     fmt::format("unknown pull request event `{}`{}", a.value,
                                 suggestion(a.value, pull_request_events)));
        continue;
      }
      std::string upper;
      for (char ch : a.value)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      t.pull_request_events.push_back(upper);
    }
  }

  void branch(const Children& c) {
    if (const Argument* a = find(c, "branch")) {
      if (auto why = git_branch_problem(a->value); !why.empty())
        diags_.error(a->pos, rule::git_branch,
                     fmt::format("`{}` is not a valid git branch name: {}", a->value, why));
      out_.branch = a->value;
    }
  }

  Source& out_;
  Diagnostics& diags_;
};

}  // namespace

void lower_source(const Directive& d, Source& out, Diagnostics& diags) {
  SourceLowering(out, diags).run(d);
}

}  // namespace mrp
