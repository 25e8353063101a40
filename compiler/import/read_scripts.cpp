// The shell side of a 2018 layout: the buildspec's commands, the build script
// it runs (its commands before the per-region packaging, which mrp
// generates), and the stack scripts' pipeline stack name and region.

#include <set>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/import/readers.h"

namespace mrp::import {
namespace {

// One command of a script, its continuation lines joined.
struct ShellLine {
  std::string text;
  SourcePos pos;
};

std::vector<ShellLine> logical_lines(const std::string& text, const std::string& file) {
  std::vector<ShellLine> out;
  std::size_t start = 0, line = 1;
  ShellLine current;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string piece = text.substr(start, end - start);
    if (!piece.empty() && piece.back() == '\r') piece.pop_back();
    const std::size_t indent = std::min(piece.find_first_not_of(" \t"), piece.size());
    if (current.text.empty()) current.pos = SourcePos{file, line, indent + 1, start + indent};
    const bool continued = !piece.empty() && piece.back() == '\\';
    if (continued) piece.pop_back();
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\t')) piece.pop_back();
    if (indent < piece.size())
      current.text += (current.text.empty() ? "" : " ") + piece.substr(indent);
    if (!continued) {
      out.push_back(std::move(current));
      current = ShellLine{};
    }
    start = end + 1;
    ++line;
  }
  if (!current.text.empty()) out.push_back(std::move(current));
  return out;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while ((i = text.find_first_not_of(" \t;", i)) != std::string::npos) {
    const std::size_t end = std::min(text.find_first_of(" \t;", i), text.size());
    out.push_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string unquoted(std::string word) {
  if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'') &&
      word.back() == word.front())
    return word.substr(1, word.size() - 2);
  return word;
}

// The word after `flag` (`--stack-name X` or `--stack-name=X`), else "".
std::string flag_value(const std::string& text, const std::string& flag) {
  const auto w = words(text);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == flag && i + 1 < w.size()) return unquoted(w[i + 1]);
    if (w[i].rfind(flag + "=", 0) == 0) return unquoted(w[i].substr(flag.size() + 1));
  }
  return "";
}

bool is_packaging(const std::string& text) {
  return text.find("cloudformation package") != std::string::npos ||
         text.find("sam package") != std::string::npos;
}

// The words in command position: the first of each command that `;`, `&&`,
// `||` or `|` separate, past `then`, `do`, `else` and `!`. Only there do
// `if` and `fi` open and close (`echo done` closes nothing).
std::vector<std::string> command_words(const std::string& text) {
  static const std::set<std::string> lead = {"then", "do", "else", "!"};
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find_first_of(";&|", start), text.size());
    for (const auto& w : words(text.substr(start, end - start)))
      if (lead.count(w) == 0) {
        out.push_back(w);
        break;
      }
    start = end + 1;
  }
  return out;
}

int depth_change(const std::string& text) {
  static const std::set<std::string> openers = {"if", "for", "while", "until", "case"};
  static const std::set<std::string> closers = {"fi", "done", "esac"};
  int change = 0;
  for (const auto& w : command_words(text)) {
    if (openers.count(w) > 0) ++change;
    if (closers.count(w) > 0) --change;
  }
  return change;
}

bool is_function(const std::string& text) {
  return text.rfind("function ", 0) == 0 ||
         (text.find("()") != std::string::npos && text.find("()") < text.find('{'));
}

// A compound command, from `lines[i]` to its end: its text, and the index of
// its last line.
std::pair<std::string, std::size_t> compound(const std::vector<ShellLine>& lines, std::size_t i) {
  std::string all = lines[i].text;
  const bool function = is_function(lines[i].text);
  int depth = function ? 1 : depth_change(lines[i].text);
  if (function && lines[i].text.back() == '}') depth = 0;
  while (depth > 0 && i + 1 < lines.size()) {
    const std::string& t = lines[++i].text;
    all += "\n" + t;
    depth += function ? (!t.empty() && t.back() == '{' ? 1 : 0) - (t.rfind('}', 0) == 0 ? 1 : 0)
                      : depth_change(t);
  }
  return {all, i};
}

struct ScriptReader {
  const std::string& file;
  Layout& layout;
  Diagnostics& diags;
  std::set<std::string> packaging_functions;
  bool packaged = false;

  void warn(const SourcePos& pos, std::string message) {
    diags.warning(pos, rule::import, std::move(message));
  }

  void packaging(const std::string& text) {
    packaged = true;
    if (layout.template_path.empty()) layout.template_path = flag_value(text, "--template-file");
  }

  void compound_command(const ShellLine& first, const std::string& text) {
    const std::string name = words(first.text).front();
    if (is_packaging(text)) {
      if (is_function(first.text)) {
        packaging_functions.insert(name.substr(0, name.find('(')));
        if (layout.template_path.empty())
          layout.template_path = flag_value(text, "--template-file");
      } else {
        packaging(text);
      }
    } else if (!(name == "if" && text.find("_ARTIFACT_BUCKET") != std::string::npos)) {
      warn(first.pos, fmt::format("this `{}` over several lines is not carried over: put it in "
                                  "a script of its own and `run` that",
                                  is_function(first.text) ? "function" : name));
    }
  }

  void command(const ShellLine& line) {
    const std::string first = words(line.text).front();
    if (is_packaging(line.text) || packaging_functions.count(first) > 0) {
      packaging(line.text);
    } else if (first == "set" || first == "exit") {
      // mrp's script sets its own options and ends on its own.
    } else if (packaged) {
      warn(line.pos,
           "this command comes after the packaging and is not carried over: mrp "
           "runs the `run` steps before it packages");
    } else {
      layout.run.push_back(line.text);
    }
  }

  void read(const std::vector<ShellLine>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& t = lines[i].text;
      if (t.empty() || t[0] == '#' || words(t).empty()) continue;
      if (is_function(t) || depth_change(t) > 0) {
        const auto [text, last] = compound(lines, i);
        compound_command(lines[i], text);
        i = last;
        continue;
      }
      command(lines[i]);
    }
  }
};

// The script a buildspec command runs (`./x.sh`, `bash x.sh`), else "".
std::string script_run_by(const std::string& command) {
  const auto w = words(command);
  if (w.empty()) return "";
  std::string path = (w[0] == "bash" || w[0] == "sh") && w.size() > 1 ? w[1] : w[0];
  if (path.size() < 3 || path.compare(path.size() - 3, 3, ".sh") != 0) return "";
  if (path.rfind("./", 0) == 0) path = path.substr(2);
  return path;
}

std::vector<std::string> commands_of(const YAML::Node& phase) {
  std::vector<std::string> out;
  const YAML::Node commands = child(phase, "commands");
  if (commands.IsSequence())
    for (const auto& c : commands) out.push_back(text(c));
  return out;
}

void read_build_phase(const YamlFile& f, const YAML::Node& phase, const FileReader& files,
                      Layout& layout) {
  const YAML::Node commands = child(phase, "commands");
  if (!commands.IsSequence()) return;
  for (const auto& c : commands) {
    const std::string text = yaml::text(c);
    const std::string script = script_run_by(text);
    if (!script.empty() && layout.build_script.empty() && files.exists(script)) {
      layout.build_script = script;
    } else if (words(text).size() > 1 && words(text)[0] == "chmod" &&
               !script_run_by(words(text).back()).empty()) {
      // Making the script executable: mrp's buildspec runs it with bash.
    } else if (layout.build_script.empty()) {
      layout.run.push_back(text);
    } else {
      f.warn(c,
             "this command comes after the build script and is not carried over: mrp "
             "runs the `run` steps before it packages");
    }
  }
}

void read_phases(const YamlFile& f, const YAML::Node& phases, const FileReader& files,
                 Layout& layout) {
  if (!phases.IsMap()) return;
  for (const auto& kv : phases) {
    const std::string name = kv.first.Scalar();
    if (name == "install" || name == "pre_build") {
      for (const auto& c : commands_of(kv.second)) layout.install.push_back(c);
      if (const YAML::Node rv = child(kv.second, "runtime-versions"); present(rv))
        f.warn(rv,
               "runtime-versions is not carried over: mrp selects the runtimes itself when "
               "sam builds the app; install others with `install`");
    } else if (name == "build") {
      read_build_phase(f, kv.second, files, layout);
    } else {
      f.warn(kv.first, fmt::format("the {} phase is not carried over: mrp's buildspec has the "
                                   "install and build phases",
                                   name));
    }
  }
}

}  // namespace

void read_buildspec(const YamlFile& f, const FileReader& files, Layout& layout) {
  read_phases(f, child(f.root, "phases"), files, layout);
  const YAML::Node vars = child(child(f.root, "env"), "variables");
  if (vars.IsMap())
    for (const auto& kv : vars) layout.env.emplace_back(kv.first.Scalar(), text(kv.second));
  for (const auto& kv : f.root) {
    const std::string key = kv.first.Scalar();
    if (key == "version" || key == "phases" || key == "artifacts") continue;
    if (key == "env" && present(child(kv.second, "variables")) && kv.second.size() == 1) continue;
    f.warn(kv.first, fmt::format("`{}` of the buildspec is not carried over: mrp has no "
                                 "directive for it",
                                 key));
  }
}

void read_build_script(const std::string& text, const std::string& file, Layout& layout,
                       Diagnostics& diags) {
  ScriptReader reader{file, layout, diags, {}, false};
  reader.read(logical_lines(text, file));
}

void read_stack_script(const std::string& text, Layout& layout) {
  std::map<std::string, std::string> vars;
  for (const auto& line : logical_lines(text, "")) {
    const auto eq = line.text.find('=');
    if (eq != std::string::npos && eq > 0 &&
        line.text.find_first_of(" \t") > eq)  // NAME=value, an assignment
      vars[line.text.substr(0, eq)] = unquoted(line.text.substr(eq + 1));
    const auto resolve = [&](std::string value) {
      if (value.empty() || value[0] != '$') return value;
      std::string name = value.substr(1);
      if (!name.empty() && name[0] == '{') name = name.substr(1, name.find('}') - 1);
      const auto it = vars.find(name);
      return it == vars.end() ? std::string() : it->second;
    };
    if (!is_packaging(line.text) && line.text.find("cloudformation") != std::string::npos) {
      const std::string stack = resolve(flag_value(line.text, "--stack-name"));
      const std::string region = resolve(flag_value(line.text, "--region"));
      if (layout.pipeline_name.empty()) layout.pipeline_name = stack;
      if (layout.home_region.empty()) layout.home_region = region;
    }
  }
}

}  // namespace mrp::import
