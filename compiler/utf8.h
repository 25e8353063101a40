#pragma once

#include <cstddef>
#include <string_view>

namespace mrp {

inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// The length of the well-formed UTF-8 sequence at `s[i]`, or 0 when the bytes
/// there are not one (a stray continuation byte, a bad lead byte, a cut-off
/// sequence).
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if (!is_utf8_continuation(s[i + k])) return 0;
  return len;
}

/// Control characters other than tab, CR and LF have no place in a spec.
inline bool is_unwanted_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

}  // namespace mrp
