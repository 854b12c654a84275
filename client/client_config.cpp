#include "cafmcp/client/client_config.hpp"

#include "cafmcp/client/detail/wire.hpp"

namespace cafmcp::client {

std::string to_string(client_transport kind) {
  switch (kind) {
  case client_transport::stdio:
    return "stdio";
  case client_transport::tcp:
    return "tcp";
  case client_transport::http:
    return "http";
  case client_transport::sse:
    return "sse";
  case client_transport::websocket:
    return "websocket";
  }
  return "unknown";
}

std::string client_config::effective_path() const {
  if (!path.empty())
    return path;
  switch (transport) {
  case client_transport::http:
    return "/mcp";
  case client_transport::sse:
    return "/sse";
  case client_transport::websocket:
    return "/ws";
  default:
    return {};
  }
}

namespace detail {

wire_ptr make_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink) {
  switch (cfg->transport) {
  case client_transport::stdio:
    return make_stdio_wire(io, std::move(cfg), std::move(sink));
  case client_transport::tcp:
    return make_tcp_wire(io, std::move(cfg), std::move(sink));
  case client_transport::http:
    return make_http_wire(io, std::move(cfg), std::move(sink));
  case client_transport::sse:
    return make_sse_wire(io, std::move(cfg), std::move(sink));
  case client_transport::websocket:
    return make_ws_wire(io, std::move(cfg), std::move(sink));
  }
  return nullptr;
}

} // namespace detail

} // namespace cafmcp::client
