#include "cafmcp/actors/services/sse_event_id.hpp"

#include <algorithm>

namespace cafmcp::services {

std::string format_event_id(std::string_view stream, std::uint64_t seq) {
  std::string out{stream};
  out += ':';
  out += std::to_string(seq);
  return out;
}

std::optional<sse_event_id> parse_event_id(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return std::nullopt;
  auto digits = text.substr(colon + 1);
  // At most 19 digits: always fits in 64 bits.
  if (digits.empty() || digits.size() > 19 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  sse_event_id id;
  id.stream = std::string{text.substr(0, colon)};
  for (char c : digits)
    id.seq = id.seq * 10 + static_cast<std::uint64_t>(c - '0');
  return id;
}

bool valid_stream_id(std::string_view stream) noexcept {
  return !stream.empty() && stream.size() <= 128 &&
         std::all_of(stream.begin(), stream.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

} // namespace cafmcp::services
