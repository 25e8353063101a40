#pragma once
// Calendar dates for the deprecation table and `--as-of`.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace mrp {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  auto operator<=>(const Date&) const = default;

  /// `YYYY-MM-DD`, a real calendar day; nothing otherwise.
  static std::optional<Date> parse(std::string_view text);
  /// Today, in UTC.
  static Date today();
  /// `YYYY-MM-DD`.
  std::string str() const;
};

}  // namespace mrp
