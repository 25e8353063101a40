#pragma once
// What a set of generated files deploys into the account, written beside them
// as deployment-pipeline/deployed.json (README, "Changing regions"), and what
// waits to be retired because the spec no longer deploys it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrp {

/// One stack the files deploy, in one region of one account.
struct DeployedStack {
  /// `target`: a target account's bootstrap stack (its roles for the pipeline).
  enum class Kind { pipeline, buckets, app, target };
  Kind kind = Kind::app;
  std::string region;
  std::string stack;
  /// buckets: the buckets the stack holds, which must be emptied before it is
  /// deleted, with the account id written `${AWS::AccountId}`.
  std::vector<std::string> buckets;
  /// The account the stack is in, when not the pipeline's ("").
  std::string account;

  /// Two entries are the same stack when kind, region, name and account agree.
  bool same_stack(const DeployedStack& o) const {
    return kind == o.kind && region == o.region && stack == o.stack && account == o.account;
  }
  friend bool operator==(const DeployedStack&, const DeployedStack&) = default;
};

/// `pipeline-stack`, `bucket-stack`, `app-stack`: the record's spelling.
inline std::string_view kind_name(DeployedStack::Kind k) {
  switch (k) {
    case DeployedStack::Kind::pipeline:
      return "pipeline-stack";
    case DeployedStack::Kind::buckets:
      return "bucket-stack";
    case DeployedStack::Kind::app:
      return "app-stack";
    case DeployedStack::Kind::target:
      return "target-account-stack";
  }
  return "";
}

/// The kind the record spells `name`, if any.
inline std::optional<DeployedStack::Kind> kind_from_name(std::string_view name) {
  for (auto k : {DeployedStack::Kind::pipeline, DeployedStack::Kind::buckets,
                 DeployedStack::Kind::app, DeployedStack::Kind::target})
    if (kind_name(k) == name) return k;
  return std::nullopt;
}

/// `pipeline stack`, `bucket stack`, `app stack`: how messages name the kind.
inline std::string_view kind_label(DeployedStack::Kind k) {
  switch (k) {
    case DeployedStack::Kind::pipeline:
      return "pipeline stack";
    case DeployedStack::Kind::buckets:
      return "bucket stack";
    case DeployedStack::Kind::app:
      return "app stack";
    case DeployedStack::Kind::target:
      return "target-account stack";
  }
  return "";
}

struct DeployRecord {
  /// What the files deploy: the pipeline stack, then each region's bucket
  /// stack and the app stacks the pipeline's account holds there, then each
  /// target account's bootstrap stack and app stacks.
  std::vector<DeployedStack> deploys;
  /// What earlier files deployed and these no longer do: retire.sh deletes
  /// it, teardown.sh too. Kept until `mrp build --forget-retired`.
  std::vector<DeployedStack> retiring;

  /// The pipeline stack entry of `deploys`, or nullptr.
  const DeployedStack* pipeline() const {
    for (const auto& d : deploys)
      if (d.kind == DeployedStack::Kind::pipeline) return &d;
    return nullptr;
  }
  friend bool operator==(const DeployRecord&, const DeployRecord&) = default;
};

/// Whether `list` holds the same stack as `d`.
inline bool holds_stack(const std::vector<DeployedStack>& list, const DeployedStack& d) {
  for (const auto& e : list)
    if (e.same_stack(d)) return true;
  return false;
}

}  // namespace mrp
