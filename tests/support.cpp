#include "tests/support.h"

#include <fstream>
#include <sstream>

namespace mrp::test {

std::optional<SyntaxTree> parse(std::string_view text) {
  Diagnostics diags;
  return parse_spec(text, "test.mrp", diags);
}

std::string syntax_errors(std::string_view text) {
  Diagnostics diags;
  parse_spec(text, "test.mrp", diags);
  return render_all(diags, text);
}

CompileResult compile_text(std::string_view text) {
  return compile(text, "test.mrp", LowerOptions{});
}

std::string compile_errors(std::string_view text) {
  const CompileResult result = compile_text(text);
  Diagnostics errors;
  for (const auto& d : result.diags.all())
    if (d.severity == Severity::error) errors.error(d.pos, d.rule, d.message);
  return render_all(errors, text);
}

const std::string minimal_spec = R"(pipeline shop {
  source github {
    owner acme
    repo shop
    branch main
  }
  regions us-east-1 eu-west-1
  app shop-app {
    template template.yaml
  }
}
)";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path source_dir() { return MRP_SOURCE_DIR; }

}  // namespace mrp::test
