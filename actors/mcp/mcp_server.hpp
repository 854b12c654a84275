#pragma once
// The per-session MCP server actor (DESIGN.md §3), following
// session_protocol.hpp: one per client session, it owns the negotiated
// revision, the client's capabilities, the log level, the subscriptions, the
// in-flight requests and the outstanding server->client requests.
//
// Inbound (besides session_protocol.hpp's session_in / session_close):
//   (features_changed_atom, uint8_t kinds)   from feature_registry
//   (services::rs_updated_atom, std::string uri, std::string session_id)
//                                            from the subscription port
//   (elicitation_complete_atom, std::string elicitation_id)
//                                            a URL-mode elicitation finished out of
//                                            band: notifications/elicitation/complete
//                                            (call_context.hpp)
//   (caf::get_atom) -> session_stats          introspection (tests, admin)
// Outbound to the sink: (session_out_atom, json, related_request) for every
// message, and (session_closed_atom, error) when the session ends on its own
// initiative: a liveness ping went unanswered (session_options::ping_interval).
//
// The session ends (normally) on session_close_atom or when its sink
// terminates; either way running handlers see is_cancelled(), blocked
// server->client requests fail with session_closed, and its subscriptions
// and registry attachment are dropped.

#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/mcp/call_context.hpp"
#include "cafmcp/actors/mcp/server_config.hpp"
#include "cafmcp/actors/mcp/session_protocol.hpp"

namespace cafmcp::mcp {

class server_state;
using server_actor = caf::stateful_actor<server_state>;

struct server_args {
  std::shared_ptr<const server_config> config;
  caf::actor sink; // the transport connection's actor; monitored
  std::string session_id;
  transport_kind transport = transport_kind::in_process;
};

// A snapshot of one session for tests and the admin endpoint.
struct session_stats {
  std::string session_id;
  std::string lifecycle;        // protocol::lifecycle_state as text
  std::string protocol_version; // empty before initialize
  uint64_t in_flight = 0;       // client requests being handled
  uint64_t client_requests = 0; // server->client requests awaiting an answer
  uint64_t subscriptions = 0;
  uint64_t dropped_logs = 0; // notifications/message suppressed by the rate limit
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_stats& x) {
  return f(caf::meta::type_name("session_stats"), x.session_id, x.lifecycle, x.protocol_version,
           x.in_flight, x.client_requests, x.subscriptions, x.dropped_logs);
}

// The actor's behavior; spawn with sys.spawn(mcp_server, args) or, from a
// supervisor's start function, ctx.self->spawn(mcp_server, args).
caf::behavior mcp_server(server_actor* self, server_args args);

} // namespace cafmcp::mcp

// server_state is complete wherever server_actor is spawned.
#include "cafmcp/actors/mcp/server_state.hpp"
