#include "cafmcp/app/config/field_checks.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace cafmcp::app {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Visible ASCII: no spaces, no control characters, no bytes above 0x7e.
bool is_visible(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f;
}

bool all_visible(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_visible);
}

bool parse_ipv4(std::string_view host, in_addr& out) {
  std::string copy{host}; // inet_pton needs a NUL-terminated string
  return inet_pton(AF_INET, copy.c_str(), &out) == 1;
}

bool parse_ipv6(std::string_view host, in6_addr& out) {
  std::string copy{host};
  return inet_pton(AF_INET6, copy.c_str(), &out) == 1;
}

} // namespace

std::string quote_value(std::string_view value) {
  constexpr std::size_t max_len = 60;
  std::string result = "'";
  if (value.size() > max_len) {
    result.append(value.substr(0, max_len));
    result += "...";
  } else {
    result.append(value);
  }
  result += "'";
  return result;
}

bool is_ip_literal(std::string_view host) {
  in_addr v4;
  in6_addr v6;
  return parse_ipv4(host, v4) || parse_ipv6(host, v6);
}

bool is_loopback_ip(std::string_view host) {
  in_addr v4;
  if (parse_ipv4(host, v4)) {
    // s_addr is in network byte order: the first octet is the first byte.
    unsigned char first = 0;
    std::memcpy(&first, &v4.s_addr, 1);
    return first == 127;
  }
  in6_addr v6;
  return parse_ipv6(host, v6) && std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
}

bool is_dns_name(std::string_view host) {
  // RFC 1123 labels. A name whose last label is all digits would be a
  // malformed IPv4 address (999.1.1.1), not a name.
  if (host.empty() || host.size() > 253)
    return false;
  std::size_t start = 0;
  std::string_view last;
  while (start <= host.size()) {
    auto end = host.find('.', start);
    if (end == std::string_view::npos)
      end = host.size();
    auto label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!is_alnum(c) && c != '-')
        return false;
    last = label;
    start = end + 1;
  }
  return !std::all_of(last.begin(), last.end(), is_digit);
}

std::optional<std::string> check_text(std::string_view value, text_rule rule) {
  switch (rule) {
  case text_rule::any:
    return std::nullopt;
  case text_rule::host:
    if (value.empty())
      return "must not be empty (use 127.0.0.1 for loopback, 0.0.0.0 for all interfaces)";
    if (value.front() == '[')
      return "write IPv6 addresses without brackets here, got " + quote_value(value);
    if (is_ip_literal(value) || is_dns_name(value))
      return std::nullopt;
    return "must be an IP address or a host name, got " + quote_value(value);
  case text_rule::loopback_host:
    if (is_loopback_ip(value))
      return std::nullopt;
    // Even "localhost" is refused: it is resolved, and the admin endpoint
    // can kill actors, so it must never be reachable from elsewhere.
    return "must be a loopback address (127.0.0.0/8 or ::1), got " + quote_value(value);
  case text_rule::url_path:
    if (value.empty() || value.front() != '/')
      return "must start with '/', got " + quote_value(value);
    if (!all_visible(value) || value.find_first_of("?#") != std::string_view::npos)
      return "must be a plain path (no spaces, '?' or '#'), got " + quote_value(value);
    return std::nullopt;
  case text_rule::token:
    if (all_visible(value))
      return std::nullopt;
    return "must consist of visible ASCII characters (it is sent in an HTTP header)";
  case text_rule::list_entry:
    if (!value.empty() && all_visible(value))
      return std::nullopt;
    return "entries must be non-empty and contain no spaces, got " + quote_value(value);
  }
  return std::nullopt;
}

std::optional<std::string> check_range(std::int64_t value, std::int64_t lo, std::int64_t hi,
                                       std::string_view unit) {
  if (value >= lo && value <= hi)
    return std::nullopt;
  std::string u{unit};
  return "must be between " + std::to_string(lo) + u + " and " + std::to_string(hi) + u + ", got " +
         std::to_string(value) + u;
}

} // namespace cafmcp::app
