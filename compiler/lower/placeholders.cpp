#include "compiler/lower/placeholders.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/base/rules.h"

namespace mrp {
namespace {

struct Found {
  const Directive* directive;
  const Argument* arg;
};

void collect(const std::vector<Directive>& directives, std::vector<Found>& out) {
  for (const auto& d : directives) {
    for (const auto& a : d.args)
      if (is_placeholder(a)) out.push_back({&d, &a});
    collect(d.children, out);
  }
}

// What belongs where the placeholder stands, from the directive it is in.
std::string what_to_put(const Directive& d, const Argument& arg) {
  if (d.name == "connection")
    return "put the ARN of your CodeStar connection here (console: Developer Tools, Settings, "
           "Connections)";
  if (d.name == "repo") return "put the repository here, as OWNER/NAME";
  if (d.name == "branch") return "put the branch the pipeline builds here";
  if (d.name == "regions")
    return "put the regions to deploy to here, such as `us-east-1 eu-west-1`; the first is the "
           "home region";
  if (d.name == "parameter" && d.args.size() == 2 && &arg == &d.args[1])
    return fmt::format("put the value of the stack parameter `{}` here", d.args[0].value);
  return fmt::format("put the value `{}` takes here", d.name);
}

}  // namespace

bool is_placeholder(const Argument& arg) {
  const std::string& v = arg.value;
  return arg.kind == Argument::Kind::word && v.size() > 2 && v.front() == '<' && v.back() == '>';
}

void report_placeholders(const SyntaxTree& tree, Diagnostics& diags) {
  std::vector<Found> found;
  collect(tree.directives, found);
  if (found.empty()) return;
  // A parameter's value is checked where its key is written, so a
  // `parameter-value` diagnostic anywhere on a placeholder's directive is
  // about the placeholder too.
  const auto about = [](const Diagnostic& diag, const Found& f) {
    if (diag.pos.file != f.arg->pos.file) return false;
    if (diag.pos.byte == f.arg->pos.byte) return true;
    return diag.rule == rule::parameter_value &&
           std::any_of(f.directive->args.begin(), f.directive->args.end(),
                       [&](const Argument& a) { return a.pos.byte == diag.pos.byte; });
  };
  diags.remove_if([&](const Diagnostic& diag) {
    return std::any_of(found.begin(), found.end(), [&](const Found& f) { return about(diag, f); });
  });
  for (const auto& f : found)
    diags.error(f.arg->pos, rule::placeholder,
                fmt::format("`{}` is a placeholder mrp init wrote: {}", f.arg->value,
                            what_to_put(*f.directive, *f.arg)));
}

}  // namespace mrp
