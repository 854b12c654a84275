#include "cafmcp/protocol/log_level.hpp"

#include <array>

namespace cafmcp::protocol {

namespace {

constexpr std::array<std::string_view, 8> names = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency",
};

} // namespace

std::string_view to_string(log_level level) noexcept {
  return names[static_cast<std::size_t>(level)];
}

std::optional<log_level> parse_log_level(std::string_view text) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text)
      return static_cast<log_level>(i);
  return std::nullopt;
}

} // namespace cafmcp::protocol
