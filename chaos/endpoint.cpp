#include <charconv>

#include "cafmcp/chaos/target.hpp"

namespace cafmcp::chaos {

std::optional<endpoint> endpoint_from_listener(std::string_view line) {
  auto space = line.find(' ');
  if (space == std::string_view::npos)
    return std::nullopt;
  auto name = line.substr(0, space);
  auto rest = line.substr(space + 1);
  if (auto end = rest.find(' '); end != std::string_view::npos)
    rest = rest.substr(0, end);
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  endpoint ep;
  ep.host = std::string{rest.substr(0, colon)};
  if (ep.host.size() > 1 && ep.host.front() == '[')
    ep.host = ep.host.substr(1, ep.host.size() - 2);
  auto port_and_path = rest.substr(colon + 1);
  auto slash = port_and_path.find('/');
  auto digits = port_and_path.substr(0, slash);
  unsigned port = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || p != digits.data() + digits.size() || port == 0 || port > 65535)
    return std::nullopt;
  ep.port = static_cast<std::uint16_t>(port);
  std::string path;
  if (slash != std::string_view::npos) {
    auto paths = port_and_path.substr(slash);
    path = std::string{paths.substr(0, paths.find(','))};
  }
  if (name == "http") {
    ep.transport = client::client_transport::http;
    ep.path = path;
  } else if (name == "sse") {
    ep.transport = client::client_transport::sse;
  } else if (name == "ws") {
    ep.transport = client::client_transport::websocket;
    ep.path = path;
  } else if (name == "tcp") {
    ep.transport = client::client_transport::tcp;
  } else {
    return std::nullopt;
  }
  return ep;
}

} // namespace cafmcp::chaos
