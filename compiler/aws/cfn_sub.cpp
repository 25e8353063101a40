#include "compiler/aws/cfn_sub.h"

namespace mrp {

std::string sub_escaped(std::string_view s, bool keep_pseudo_parameters) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{' &&
        !(keep_pseudo_parameters && s.substr(i + 2, 5) == "AWS::")) {
      out += "{!";
      ++i;
    }
  }
  return out;
}

}  // namespace mrp
