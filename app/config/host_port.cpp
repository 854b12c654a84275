#include "cafmcp/app/config/host_port.hpp"

#include "cafmcp/app/config/field_checks.hpp"

namespace cafmcp::app {

namespace {

config_error problem(std::string message) {
  return config_error{{}, std::move(message)};
}

} // namespace

config_result<host_port> parse_host_port(std::string_view text) {
  const std::string example = " (expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080)";
  host_port result;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return problem("missing ']' in " + quote_value(text) + example);
    result.host = std::string{text.substr(1, close - 1)};
    if (close + 1 >= text.size() || text[close + 1] != ':')
      return problem("missing ':PORT' after ']' in " + quote_value(text) + example);
    port_text = text.substr(close + 2);
    if (!is_ip_literal(result.host) || result.host.find(':') == std::string::npos)
      return problem("brackets are for IPv6 addresses, got " + quote_value(result.host));
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return problem("missing ':PORT' in " + quote_value(text) + example);
    result.host = std::string{text.substr(0, colon)};
    port_text = text.substr(colon + 1);
    // Without brackets, "::1:8080" could be a host ending in :8080 or not.
    if (result.host.find(':') != std::string::npos)
      return problem("write IPv6 addresses in brackets, e.g. [::1]:8080, got " + quote_value(text));
    if (auto host_problem = check_text(result.host, text_rule::host))
      return problem("host " + *host_problem);
  }
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string_view::npos)
    return problem("port must be a number from 0 to 65535, got " + quote_value(port_text));
  auto port = std::stoul(std::string{port_text});
  if (port > 65535)
    return problem("port must be a number from 0 to 65535, got " + quote_value(port_text));
  result.port = static_cast<std::uint16_t>(port);
  return result;
}

} // namespace cafmcp::app
