#pragma once
// The session actor of a single-stream connection (TCP, stdio, WebSocket,
// legacy HTTP+SSE): it opens an MCP session at the broker, forwards inbound
// messages to the server actor (session_protocol.hpp), writes the server's
// messages to the connection's bounded queue, and monitors the server: if it
// dies, in-flight requests get a JSON-RPC error and the connection closes, so
// the client can initialize again at once.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/mcp/session_protocol.hpp"
#include "cafmcp/transports/ports.hpp"

namespace cafmcp::transports {

/// Returns the broker to open sessions at (it may change when the broker
/// restarts); an invalid handle means "no broker right now".
using broker_ref = std::function<caf::actor()>;

struct line_session_options {
  mcp::transport_kind kind = mcp::transport_kind::tcp;
  broker_ref broker;
  std::chrono::milliseconds open_timeout{10000};
  /// After the peer's EOF, in-flight requests get this long to finish.
  std::chrono::milliseconds eof_grace{30000};
  /// Reported in the -32600 answer to an oversized message.
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  /// Requests in flight at once; more are answered -32000 at once, never
  /// forwarded (a client cannot grow the server's mailbox without bound).
  std::size_t max_inflight = 1024;
  /// Inbound messages queued while the broker opens the session.
  std::size_t max_pending = 1024;
  /// Legacy HTTP+SSE: messages go out as `event: message` SSE events, and
  /// after the open the `endpoint` event carries endpoint_prefix + session id.
  bool legacy_sse = false;
  std::string endpoint_prefix;
  /// Legacy HTTP+SSE: an SSE comment this often keeps an idle stream alive; 0: never.
  std::chrono::milliseconds sse_keepalive{0};
  /// Called once the session is open / when the actor ends (legacy SSE
  /// registers its POST target with them). May be empty.
  std::function<void(const std::string& session_id, const caf::actor& self)> on_open;
  std::function<void(const std::string& session_id)> on_end;
};

/// Spawns the session actor of one connection; returns the handlers the
/// connection reports to. Safe to call from an io thread.
inbound_handlers start_line_session(caf::actor_system& sys, std::shared_ptr<outbound_port> port,
                                    line_session_options opts, caf::actor* spawned = nullptr);
/// The same with options shared by every session of a listener (a copy per
/// session would cost each one a few hundred bytes).
inbound_handlers start_line_session(caf::actor_system& sys, std::shared_ptr<outbound_port> port,
                                    std::shared_ptr<const line_session_options> opts,
                                    caf::actor* spawned = nullptr);

} // namespace cafmcp::transports
