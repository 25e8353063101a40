#include "compiler/base/date.h"

#include <chrono>
#include <regex>

#include <fmt/format.h>

namespace mrp {

std::optional<Date> Date::parse(std::string_view text) {
  static const std::regex form{"([0-9]{4})-([0-9]{2})-([0-9]{2})"};
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, form)) return std::nullopt;
  const std::chrono::year_month_day ymd{
      std::chrono::year{std::stoi(m[1].str())},
      std::chrono::month{static_cast<unsigned>(std::stoi(m[2].str()))},
      std::chrono::day{static_cast<unsigned>(std::stoi(m[3].str()))}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Date Date::today() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string Date::str() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

}  // namespace mrp
