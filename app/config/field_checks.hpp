// The checks one value must pass, shared by the JSON reader, the command line
// and validation, so that a bound or a format is stated once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cafmcp::app {

/// What a string-valued key may hold.
enum class text_rule {
  any,           // free text, e.g. a file path
  host,          // an IPv4/IPv6 literal (no brackets) or a DNS name
  loopback_host, // an IP literal in 127.0.0.0/8, or ::1
  url_path,      // "/..." without query, fragment or spaces
  token,         // empty, or visible ASCII (it travels in an HTTP header)
  list_entry,    // non-empty, no spaces or control characters
};

/// Returns nothing when `value` passes, else what is wrong with it.
std::optional<std::string> check_text(std::string_view value, text_rule rule);

/// Returns nothing when lo <= value <= hi, else what is wrong with it.
/// `unit` (e.g. " ms") is appended to the numbers in the message.
std::optional<std::string> check_range(std::int64_t value, std::int64_t lo, std::int64_t hi,
                                       std::string_view unit = {});

bool is_ip_literal(std::string_view host);
bool is_loopback_ip(std::string_view host);
bool is_dns_name(std::string_view host);

/// Quotes and shortens a user-supplied value for an error message.
std::string quote_value(std::string_view value);

} // namespace cafmcp::app
