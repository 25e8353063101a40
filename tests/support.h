#pragma once
// Short entry points for tests: parse or compile a spec held in a string.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/cli/driver.h"
#include "compiler/syntax/parser.h"

namespace mrp::test {

/// Parses `text` as `test.mrp`; the tree, or nothing when there was an error.
std::optional<SyntaxTree> parse(std::string_view text);

/// The rendered diagnostics of parsing `text` ("" when it parses).
std::string syntax_errors(std::string_view text);

/// The app template `template.yaml` that the specs of compile_text name: a
/// plain CloudFormation template that needs no capability.
extern const std::string minimal_template;

/// The files compile_text reads: minimal_template under each name the tests'
/// specs give their app templates (`template.yaml`, `t.yaml`, `a.yaml`, …).
const MemoryFileReader& minimal_files();

/// Every regular file under `dir`, held in memory by its path relative to
/// `dir`: a spec's folder as compilation would read it from the disk.
MemoryFileReader files_in(const std::filesystem::path& dir);

/// Compiles `text` as `test.mrp`, as if the output folder were the spec's,
/// reading app templates from `files`.
CompileResult compile_text(std::string_view text, const FileReader& files = minimal_files());

/// The rendered errors of compiling `text` ("" when it compiles); warnings,
/// such as the deprecated GitHub source every v1 spec has, are left out.
std::string compile_errors(std::string_view text);

/// A small valid spec; tests that need one change a line of it.
extern const std::string minimal_spec;

std::string read_text(const std::filesystem::path& path);

/// The repository's source folder.
std::filesystem::path source_dir();

}  // namespace mrp::test
