#pragma once

#include <cstddef>
#include <string_view>

namespace mrp {

inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// The length of the well-formed UTF-8 sequence at `s[i]`, or 0 when the bytes
/// there are not one (a stray continuation byte, a bad lead byte, a cut-off
/// sequence, an overlong form, a surrogate, a code point past U+10FFFF).
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  // Unicode, Table 3-7 "Well-Formed UTF-8 Byte Sequences": the lead byte sets
  // the length and the range of the second byte.
  std::size_t len = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  }
  if (len == 0 || i + len > s.size()) return 0;
  const auto second = static_cast<unsigned char>(s[i + 1]);
  if (second < low || second > high) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (!is_utf8_continuation(s[i + k])) return 0;
  return len;
}

/// Control characters other than tab, CR and LF have no place in a spec.
inline bool is_unwanted_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

}  // namespace mrp
