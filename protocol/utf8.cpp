#include "cafmcp/protocol/utf8.hpp"

#include <cstddef>

namespace cafmcp::protocol {

bool is_valid_utf8(std::string_view bytes) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    // The allowed range of the *second* byte encodes the overlong, surrogate
    // and > U+10FFFF exclusions (RFC 3629 section 4, Table 3-7 of Unicode).
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b == 0xE0) {
      len = 3;
      lo = 0xA0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      len = 3;
    } else if (b == 0xED) {
      len = 3;
      hi = 0x9F;
    } else if (b == 0xF0) {
      len = 4;
      lo = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3) {
      len = 4;
    } else if (b == 0xF4) {
      len = 4;
      hi = 0x8F;
    } else {
      return false; // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
    }
    if (n - i < len)
      return false;
    if (p[i + 1] < lo || p[i + 1] > hi)
      return false;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF)
        return false;
    i += len;
  }
  return true;
}

} // namespace cafmcp::protocol
