#include "cafmcp/transports/origin_policy.hpp"

#include <algorithm>
#include <cctype>

namespace cafmcp::transports {

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool is_loopback_name(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

// "host" matches "host" and "host:<port>"; "host:port" matches exactly.
bool authority_matches(std::string_view value, const std::string& allowed) {
  if (value == allowed)
    return true;
  return host_part(value) == allowed;
}

} // namespace

std::string_view host_part(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(0, close + 1);
  }
  auto colon = authority.find(':');
  return colon == std::string_view::npos ? authority : authority.substr(0, colon);
}

origin_policy::origin_policy(const origin_policy_config& cfg) {
  for (const auto& h : cfg.allowed_hosts) {
    if (h == "*")
      any_host_ = true;
    hosts_.push_back(lower(h));
  }
  for (const auto& o : cfg.allowed_origins) {
    if (o == "*")
      any_origin_ = true;
    origins_.push_back(lower(o));
  }
}

bool origin_policy::host_allowed(std::optional<std::string_view> host) const {
  if (any_host_)
    return true;
  if (!host)
    return false;
  auto value = lower(trim(*host));
  if (hosts_.empty())
    return is_loopback_name(host_part(value));
  return std::any_of(hosts_.begin(), hosts_.end(),
                     [&](const std::string& allowed) { return authority_matches(value, allowed); });
}

bool origin_policy::origin_allowed(std::optional<std::string_view> origin) const {
  if (!origin || any_origin_)
    return true;
  auto value = lower(trim(*origin));
  if (origins_.empty()) {
    // scheme://authority with a loopback host; "null" (opaque origins) and
    // anything else are refused.
    auto sep = value.find("://");
    if (sep == std::string::npos)
      return false;
    auto scheme = std::string_view{value}.substr(0, sep);
    if (scheme != "http" && scheme != "https")
      return false;
    auto authority = std::string_view{value}.substr(sep + 3);
    authority = authority.substr(0, authority.find('/'));
    return is_loopback_name(host_part(authority));
  }
  return std::any_of(origins_.begin(), origins_.end(), [&](const std::string& allowed) {
    if (value == allowed)
      return true;
    // "https://app.example.com" also allows the same origin with a port.
    return value.size() > allowed.size() && value.compare(0, allowed.size(), allowed) == 0 &&
           value[allowed.size()] == ':' && allowed.find("://") != std::string::npos &&
           allowed.find(':', allowed.find("://") + 3) == std::string::npos;
  });
}

} // namespace cafmcp::transports
