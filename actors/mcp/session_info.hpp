#pragma once
// What a handler may know about the session that called it: set once by
// initialize and immutable afterwards, so handlers on other threads read it
// without locks.

#include <string>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/session_protocol.hpp"
#include "cafmcp/protocol/protocol_version.hpp"

namespace cafmcp::mcp {

struct session_info {
  std::string session_id;
  transport_kind transport = transport_kind::in_process;
  protocol::protocol_version version = protocol::latest_protocol_version;
  nlohmann::json client_info = nlohmann::json::object();         // Implementation
  nlohmann::json client_capabilities = nlohmann::json::object(); // ClientCapabilities

  // The client-capability rules of checklist §3/§4, read from
  // client_capabilities and the negotiated revision.
  bool client_has_sampling() const;
  bool client_has_sampling_tools() const; // tools/toolChoice in createMessage
  bool client_has_elicitation_form() const;
  bool client_has_elicitation_url() const;
  bool client_has_roots() const;
};

} // namespace cafmcp::mcp
