// session_protocol.hpp declares to_string(transport_kind), which CAF uses to
// print messages that carry a transport_kind. Its definition belongs to the
// actors/mcp library, which this suite does not link (it tests transports
// against its own echo peer), so the suite brings this copy. The node links
// the real one.

#include <string>

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
