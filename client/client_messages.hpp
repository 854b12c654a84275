// The messages a client actor understands, for code that talks to it with
// CAF directly (the chaos runner, benchmarks); client.hpp wraps them.
//
//   (connect_atom)                -> session_info      connect + initialize (again)
//   (call_atom, call_spec)        -> call_reply        a request; error: client_error
//   (call_atom, call_spec, call_callback)              the same, answered by callback
//   (notify_atom, call_spec)                           a notification to the server
//   (info_atom)                   -> session_info
//   (close_atom)                  -> unit              DELETE/close; the actor ends
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/client/client_error.hpp"

namespace cafmcp::client {

using connect_atom = caf::atom_constant<caf::atom("mcpc_conn")>;
using call_atom = caf::atom_constant<caf::atom("mcpc_call")>;
using notify_atom = caf::atom_constant<caf::atom("mcpc_note")>;
using info_atom = caf::atom_constant<caf::atom("mcpc_info")>;
using close_atom = caf::atom_constant<caf::atom("mcpc_close")>;

// What initialize told us.
struct session_info {
  std::string protocol_version;
  nlohmann::json server_info;
  nlohmann::json capabilities;
  std::string instructions;
  // The server's id of the session (Streamable HTTP Mcp-Session-Id, legacy
  // SSE sessionId); empty on TCP, stdio and WebSocket, which have none on the wire.
  std::string session_id;
};

struct call_spec {
  std::string method;
  nlohmann::json params; // null: no "params" member
  // 0: the client's request_timeout.
  std::chrono::milliseconds timeout{0};
};

struct call_reply {
  nlohmann::json result;
};

// A result or a failure, for callbacks and the blocking facade.
struct call_outcome {
  nlohmann::json result;
  std::optional<client_failure> failure;
  bool ok() const noexcept { return !failure; }
};

struct call_callback {
  std::function<void(call_outcome)> fn;
};

} // namespace cafmcp::client

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::client::session_info)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::client::call_spec)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::client::call_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::client::call_callback)
