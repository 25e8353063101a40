#pragma once
// A generator of random valid specs for the property tests: each spec comes
// from one 64-bit seed, through a PRNG of our own, so that a seed gives the same
// spec on every platform and standard library (the std distributions do not).
// The generator follows the checks of lowering and lint, so every spec it
// writes must compile; alongside the text it keeps what it meant, for the
// tests to find in the outputs.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mrp::test {

/// splitmix64: small, fast, and the same sequence everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// A number in [0, n); n > 0. The modulo bias is irrelevant here.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  /// A number in [lo, hi].
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
  bool percent(unsigned p) { return below(100) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

/// The seed of spec number `index` of a run seeded with `run_seed`.
std::uint64_t spec_seed(std::uint64_t run_seed, std::size_t index);

/// What one generated app means.
struct GeneratedApp {
  std::string stack;
  std::string template_path;  ///< as the spec writes it: relative to the spec's folder
  std::vector<std::string> capabilities;
  /// The ParameterOverrides of each region that has parameters, as (key, value)
  /// pairs in order.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> parameters;
  /// Built by `sam build` (a function with a BuildMethod, or an image), and
  /// whether its function is a container image.
  bool sam_build = false;
  bool images = false;
};

/// A spec and the files beside it, and what the spec means in the terms a
/// reader of the outputs can check.
struct GeneratedSpec {
  std::string spec_path = "pipeline.mrp";  ///< relative to the repository root
  std::string text;
  /// Files to write besides the spec (app templates), relative to the root.
  std::map<std::string, std::string> files;

  std::string pipeline;
  std::string description;           ///< as the pipeline template's Description shows it
  std::vector<std::string> regions;  ///< in deploy order
  /// Where the pipeline lives: `home-region` when the spec says it, else the
  /// first region.
  std::string home;
  /// The stage of each wave, in order ("Deploy" for a plain list).
  std::vector<std::string> stages;
  std::string branch;  ///< "" for an S3 source
  std::vector<std::string> install, run;
  std::vector<std::pair<std::string, std::string>> env;
  bool change_set = false;
  std::vector<GeneratedApp> apps;
  /// The first word of every run command: the tests stand in for them.
  std::vector<std::string> commands;
};

GeneratedSpec generate_spec(std::uint64_t seed);

}  // namespace mrp::test
