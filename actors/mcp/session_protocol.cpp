#include "cafmcp/actors/mcp/session_protocol.hpp"

namespace cafmcp::mcp {

std::string to_string(transport_kind x) {
  switch (x) {
  case transport_kind::stdio:
    return "stdio";
  case transport_kind::tcp:
    return "tcp";
  case transport_kind::streamable_http:
    return "streamable_http";
  case transport_kind::sse:
    return "sse";
  case transport_kind::websocket:
    return "websocket";
  case transport_kind::in_process:
    return "in_process";
  }
  return "transport_kind(" + std::to_string(static_cast<int>(x)) + ")";
}

} // namespace cafmcp::mcp
