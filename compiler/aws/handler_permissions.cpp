#include "compiler/aws/handler_permissions.h"

#include <algorithm>
#include <iterator>

namespace mrp {
namespace {

#include "compiler/aws/handler_permissions.inc"

}  // namespace

const TypeHandlers* find_type_handlers(std::string_view type) {
  if (type.rfind("Custom::", 0) == 0) type = "AWS::CloudFormation::CustomResource";
  const auto it =
      std::lower_bound(std::begin(type_handlers), std::end(type_handlers), type,
                       [](const TypeHandlers& t, std::string_view name) { return t.type < name; });
  return it != std::end(type_handlers) && it->type == type ? &*it : nullptr;
}

std::span<const HandlerAction> actions_of(const TypeHandlers& t) {
  return std::span<const HandlerAction>(handler_actions).subspan(t.first, t.count);
}

std::span<const ResourceSet> handler_resource_sets() { return resource_sets; }

}  // namespace mrp
