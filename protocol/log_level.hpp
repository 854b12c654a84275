#pragma once

// MCP logging levels: the RFC 5424 severities by name (checklist §4 "Logging").
// Ordered from least to most severe, so `a < b` means "a is less severe" and
// a message passes a threshold when `level >= threshold`.

#include <optional>
#include <string_view>

namespace cafmcp::protocol {

enum class log_level {
  debug,
  info,
  notice,
  warning,
  error,
  critical,
  alert,
  emergency,
};

std::string_view to_string(log_level level) noexcept;

// Exact, lower-case names only ("warning", not "warn" or "WARNING"), as the
// LoggingLevel enum in schema.ts; anything else is nothing (-> -32602).
std::optional<log_level> parse_log_level(std::string_view text) noexcept;

// Whether a message at `level` reaches a client that set `threshold` with
// logging/setLevel.
constexpr bool passes_threshold(log_level level, log_level threshold) noexcept {
  return level >= threshold;
}

} // namespace cafmcp::protocol
