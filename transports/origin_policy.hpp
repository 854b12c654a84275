#pragma once
// DNS-rebinding protection (checklist §6 "Origin"): the Host header must name
// an allowed host and an Origin header, when present, an allowed origin.
// Otherwise the HTTP transports answer 403.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cafmcp/transports/transport_config.hpp"

namespace cafmcp::transports {

class origin_policy {
public:
  origin_policy() : origin_policy(origin_policy_config{}) {}
  explicit origin_policy(const origin_policy_config& cfg);

  /// `host` is the Host header (nullopt when missing: refused, HTTP/1.1
  /// requires it); `origin` the Origin header if any.
  bool host_allowed(std::optional<std::string_view> host) const;
  bool origin_allowed(std::optional<std::string_view> origin) const;
  bool allows(std::optional<std::string_view> host, std::optional<std::string_view> origin) const {
    return host_allowed(host) && origin_allowed(origin);
  }

private:
  std::vector<std::string> hosts_;   // lower case; empty: loopback names
  std::vector<std::string> origins_; // lower case; empty: loopback origins
  bool any_host_ = false;
  bool any_origin_ = false;
};

/// Splits "host:port" / "[v6]:port" into its host part (brackets kept).
std::string_view host_part(std::string_view authority);

} // namespace cafmcp::transports
