// Loading the layout's YAML files with their positions, and what their
// references name.

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/import/readers.h"

namespace mrp::import {

SourcePos YamlFile::pos(const YAML::Node& n) const {
  const YAML::Mark m = n.IsDefined() ? n.Mark() : YAML::Mark::null_mark();
  if (m.is_null()) return SourcePos{file, 1, 1, 0};
  return SourcePos{file, static_cast<std::size_t>(m.line) + 1,
                   static_cast<std::size_t>(m.column) + 1, static_cast<std::size_t>(m.pos)};
}

void YamlFile::warn(const YAML::Node& at, std::string message) const {
  diags->warning(pos(at), rule::import, std::move(message));
}

std::string ref_name(const YAML::Node& n) {
  if (yaml::is_scalar(n) && n.Tag() == "!Ref") return n.Scalar();
  return literal(child(n, "Ref"));
}

std::string referenced_resource(const YAML::Node& n) {
  if (std::string ref = ref_name(n); !ref.empty()) return ref;
  if (yaml::is_scalar(n) && n.Tag() == "!GetAtt") return n.Scalar().substr(0, n.Scalar().find('.'));
  const YAML::Node get_att = child(n, "Fn::GetAtt");
  if (yaml::is_list(get_att) && get_att.size() > 0) return literal(get_att[0]);
  if (yaml::is_scalar(get_att)) return get_att.Scalar().substr(0, get_att.Scalar().find('.'));
  return "";
}

std::optional<YamlFile> load_yaml(const FileReader& files, const std::string& path, bool required,
                                  Diagnostics& diags) {
  const auto text = files.read(path);
  if (!text) {
    if (required)
      diags.error(SourcePos{path, 1, 1, 0}, rule::import,
                  fmt::format("cannot read {}, the pipeline template of a 2018 layout; import "
                              "the folder that holds deployment-pipeline/",
                              path));
    return std::nullopt;
  }
  diags.add_source(path, *text);
  YamlFile f{path, YAML::Node(), &diags};
  try {
    f.root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    const SourcePos pos{path, static_cast<std::size_t>(e.mark.line) + 1,
                        static_cast<std::size_t>(e.mark.column) + 1,
                        static_cast<std::size_t>(e.mark.pos)};
    diags.error(e.mark.is_null() ? SourcePos{path, 1, 1, 0} : pos, rule::import,
                "not YAML: " + e.msg);
    return std::nullopt;
  }
  if (!f.root.IsMap()) {
    diags.error(SourcePos{path, 1, 1, 0}, rule::import,
                fmt::format("{} is not a YAML map of keys to values", path));
    return std::nullopt;
  }
  return f;
}

}  // namespace mrp::import
