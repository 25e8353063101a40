#pragma once
// The names that tie the generated files together, checked across all of
// them: what the behaviour tests check on every example spec and the property
// tests on every generated one.

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "tests/workspace.h"

namespace mrp::test {

/// The account the tests stand in for `${AWS::AccountId}`, and the stand-in
/// `aws` answers with.
inline constexpr const char* test_account = "123456789012";

/// `s` as CloudFormation's `!Sub` fills it in for the test account in the
/// aws partition: `${AWS::AccountId}` and `${AWS::URLSuffix}` replaced.
std::string with_account(std::string s);

/// `s` with every `${AWS::Region}` replaced by `region`.
std::string in_region(std::string s, const std::string& region);

/// The recorded calls (one line each, as tests/fake-aws/aws logs them) split
/// back into their arguments, the way bash reads the log's quoting.
std::vector<std::vector<std::string>> call_args(const Workspace& ws,
                                                const std::vector<std::string>& calls);

/// The argument after `name` in `args`, or "" when there is none.
std::string option(const std::vector<std::string>& args, const std::string& name);

/// For a workspace whose repository holds what `mrp build` wrote for `ir`:
/// runs the build script with exactly the variables the CodeBuild project sets
/// (the spec's run commands stubbed by the caller) and the bucket script, and
/// checks that every region, artifact bucket, bucket variable, packaged
/// template and deploy action agrees across the pipeline template, the
/// buildspec, the bucket template and the scripts.
void check_files_agree(const Workspace& ws, const Ir& ir);

}  // namespace mrp::test
