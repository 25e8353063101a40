#pragma once
// What a step outside the diagnostics returns when it can fail, such as
// reading or writing files: its value, or a message that names what failed
// and why ("cannot write deployment-pipeline/pipeline.yaml: No space left on
// device"). Problems in a spec are diagnostics, never a Result; the command
// line prints a failed Result as `mrp: error: MESSAGE`.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mrp {

struct Failure {
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}

  bool ok() const { return state_.index() == 0; }
  const T& value() const { return std::get<0>(state_); }
  T& value() { return std::get<0>(state_); }
  /// The message of a failure; only when !ok().
  const std::string& error() const { return std::get<1>(state_).message; }

 private:
  std::variant<T, Failure> state_;
};

/// The Result of a step that gives nothing back.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : failure_(std::move(failure)) {}

  bool ok() const { return !failure_; }
  /// The message of a failure; only when !ok().
  const std::string& error() const { return failure_->message; }

 private:
  std::optional<Failure> failure_;
};

}  // namespace mrp
