#pragma once
// CloudFormation's `!Sub` (Fn::Sub) reads `${NAME}` as a variable; `${!` is
// its escape for a literal `${`.

#include <string>
#include <string_view>

namespace mrp {

/// `s` for a !Sub string: each `${` becomes the literal `${!`, except, with
/// `keep_pseudo_parameters`, the `${AWS::…}` that !Sub should fill in.
std::string sub_escaped(std::string_view s, bool keep_pseudo_parameters);

}  // namespace mrp
