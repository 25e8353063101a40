#include "compiler/lower_source.h"

#include <regex>

#include <fmt/format.h>

#include "compiler/github.h"
#include "compiler/rules.h"
#include "compiler/schema.h"

namespace mrp {
namespace {

using B = BlockRule;

// clang-format off
const std::vector<DirectiveShape> github_shapes = {
    {"owner", 1, 1, B::none, false, true, "the GitHub user or organisation"},
    {"repo", 1, 1, B::none, false, true, "the repository name"},
    {"branch", 1, 1, B::none, false, true, "the branch to build"}};
const std::vector<DirectiveShape> codestar_shapes = {
    {"connection", 1, 1, B::none, false, true, "the connection's ARN"},
    {"repo", 1, 1, B::none, false, true, "the repository as OWNER/NAME"},
    {"branch", 1, 1, B::none, false, true, "the branch to build"}};
const std::vector<DirectiveShape> codecommit_shapes = {
    {"repo", 1, 1, B::none, false, true, "the CodeCommit repository name"},
    {"branch", 1, 1, B::none, false, true, "the branch to build"}};
const std::vector<DirectiveShape> s3_shapes = {
    {"bucket", 1, 1, B::none, false, true, "the source bucket"},
    {"key", 1, 1, B::none, false, true, "the object key of the source zip"}};
// clang-format on

const std::vector<std::string_view> source_kinds = {"github", "codestar", "codecommit", "s3"};

const Argument* find(const Children& c, std::string_view name) {
  const auto it = c.find(name);
  return it == c.end() ? nullptr : &it->second.front()->args[0];
}

class SourceLowering {
 public:
  SourceLowering(Source& out, Diagnostics& diags) : out_(out), diags_(diags) {}

  void run(const Directive& d) {
    out_.pos = d.pos;
    const Argument& kind = d.args[0];
    if (kind.value == "github") {
      out_.kind = SourceKind::github;
      github(check_children(d, d.children, github_shapes, diags_));
    } else if (kind.value == "codestar") {
      out_.kind = SourceKind::codestar;
      codestar(check_children(d, d.children, codestar_shapes, diags_));
    } else if (kind.value == "codecommit") {
      out_.kind = SourceKind::codecommit;
      codecommit(check_children(d, d.children, codecommit_shapes, diags_));
    } else if (kind.value == "s3") {
      out_.kind = SourceKind::s3;
      s3(check_children(d, d.children, s3_shapes, diags_));
    } else if (kind.value == "gitlab" || kind.value == "bitbucket") {
      out_.pos = SourcePos{};
      diags_.error(kind.pos, rule::source_kind,
                   fmt::format("{} repositories come through a CodeStar connection: use `source "
                               "codestar {{ connection ARN; repo OWNER/NAME; branch B }}`",
                               kind.value == "gitlab" ? "GitLab" : "Bitbucket"));
    } else {
      out_.pos = SourcePos{};
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
      if (a->value.front() == '/')
        diags_.error(a->pos, rule::source_value,
                     fmt::format("object key `{}` starts with `/`; S3 keys have no leading "
                                 "slash: write `{}`",
                                 a->value, a->value.substr(1)));
      out_.key = a->value;
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
