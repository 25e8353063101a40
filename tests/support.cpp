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

const std::string minimal_template = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
)";

const MemoryFileReader& minimal_files() {
  static const MemoryFileReader files = [] {
    MemoryFileReader f;
    for (const char* name : {"template.yaml", "t.yaml", "a.yaml", "b.yaml", "c.yaml", "web.yaml",
                             "db.yaml", "cdn.yaml"})
      f.add(name, minimal_template);
    return f;
  }();
  return files;
}

MemoryFileReader files_in(const std::filesystem::path& dir) {
  MemoryFileReader files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      files.add(entry.path().lexically_relative(dir).generic_string(), read_text(entry.path()));
  return files;
}

CompileResult compile_text(std::string_view text, const FileReader& files) {
  return compile(text, "test.mrp", files);
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
