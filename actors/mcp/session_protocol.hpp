#pragma once
// The contract between a transport connection and the per-session MCP server
// actor, and the node-level broker that hands out server actors.
//
// A transport never sees pools, supervisors or the registry's internals: it
// asks the broker for a session, then exchanges raw JSON-RPC text with the
// server actor it got. Decoding and encoding happen in the server actor (via
// protocol/), so every transport behaves the same.
//
//   transport -> broker
//     (session_open_atom, transport_kind, caf::actor sink)
//         -> (caf::actor server, std::string session_id) | error (at capacity, ...)
//     (session_find_atom, std::string session_id) -> caf::actor server | error (not found)
//   transport -> server
//     (session_in_atom, std::string json)          one JSON-RPC message, as received
//     (session_close_atom)                         the client went away (EOF, DELETE, socket
//     closed)
//   server -> sink (the transport connection's actor)
//     (session_out_atom, std::string json, std::string related_request)
//         one JSON-RPC message to write. `related_request` is the JSON text of
//         the id of the client request this message belongs to (its response,
//         or a progress/log/server->client request sent while it runs), or
//         empty for messages unrelated to any request (list_changed, ...).
//         Streamable HTTP uses it to choose the stream; other transports ignore it.
//     (session_closed_atom, caf::error reason)     the server ends the session
//
// The transport monitors its server actor: a down message means the session
// is gone (its pool crashed, say); it answers in-flight requests with an
// error or closes, and the client may initialize a new session at once.

#include <cstdint>
#include <string>

#include <caf/atom.hpp>

namespace cafmcp::mcp {

using session_open_atom = caf::atom_constant<caf::atom("mcp_open")>;
using session_find_atom = caf::atom_constant<caf::atom("mcp_find")>;
using session_in_atom = caf::atom_constant<caf::atom("mcp_in")>;
using session_close_atom = caf::atom_constant<caf::atom("mcp_close")>;
using session_out_atom = caf::atom_constant<caf::atom("mcp_out")>;
using session_closed_atom = caf::atom_constant<caf::atom("mcp_closed")>;

enum class transport_kind : uint8_t { stdio, tcp, streamable_http, sse, websocket, in_process };

// Inline: the contract is header-only, so that transports (which never link
// the MCP server library) and the server agree on the names.
inline std::string to_string(transport_kind x) {
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
