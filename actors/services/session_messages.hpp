// The session manager's message vocabulary and its session record. Atom texts are global in CAF
// (the same text is the same type in every namespace), so ours carry an "sm_" prefix.
//
//   (sm_open_atom, std::string transport, caf::actor server) -> session_record
//       A new active session with a fresh CSPRNG id. `server` may be invalid (bind it later).
//       errors: at_capacity (max_sessions active), invalid_argument (empty transport).
//   (sm_bind_atom, std::string id, caf::actor server)        -> session_record
//   (sm_setver_atom, std::string id, std::string version)    -> session_record
//       Records the negotiated protocol version (after initialize).
//   (sm_touch_atom, std::string id)                          -> (no answer; send it)
//       Activity: moves the session's expiry forward. Ignored for unknown or ended sessions.
//   (sm_lookup_atom, std::string id)                         -> session_record (active)
//   (sm_term_atom, std::string id)                           -> session_record (now terminated)
//   (sm_term_atom, std::string id, std::string reason)       -> session_record (now terminated)
//       errors of bind/setver/lookup/term: not_found (never issued, or forgotten after
//       ended_retention), session_terminated, session_expired (context: the id). Ended ids stay
//       known for a while, so the HTTP transport can tell "ended: 404" from "malformed: 400".
//   (sm_count_atom)                                          -> std::size_t (active sessions)
//   (sm_sweep_atom)                                          -> std::size_t (sessions it expired)
//       Also runs by itself every sweep_interval.
//   (sm_watch_atom, caf::actor watcher)                      -> caf::ok_atom
//   (sm_unwatch_atom, caf::actor watcher)                    -> caf::ok_atom
//       A watcher receives (sm_ended_atom, session_record) for every session that ends
//       (terminated, expired, or its server died), e.g. to drop the session's SSE streams.
//
// A session whose server actor dies ends with reason "server_down": the client must
// re-initialize, and the transport answers 404 from then on.
#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

namespace cafmcp::services {

using sm_open_atom = caf::atom_constant<caf::atom("sm_open")>;
using sm_bind_atom = caf::atom_constant<caf::atom("sm_bind")>;
using sm_setver_atom = caf::atom_constant<caf::atom("sm_setver")>;
using sm_touch_atom = caf::atom_constant<caf::atom("sm_touch")>;
using sm_lookup_atom = caf::atom_constant<caf::atom("sm_lookup")>;
using sm_term_atom = caf::atom_constant<caf::atom("sm_term")>;
using sm_count_atom = caf::atom_constant<caf::atom("sm_count")>;
using sm_sweep_atom = caf::atom_constant<caf::atom("sm_sweep")>;
using sm_watch_atom = caf::atom_constant<caf::atom("sm_watch")>;
using sm_unwatch_atom = caf::atom_constant<caf::atom("sm_unwatch")>;
using sm_ended_atom = caf::atom_constant<caf::atom("sm_ended")>;

enum class session_status : std::uint8_t { active, terminated, expired };

std::string to_string(session_status x);

struct session_record {
  std::string id;              // the MCP-Session-Id: 32 base64url characters, 192 random bits
  std::string transport;       // e.g. "streamable_http" (mcp::transport_kind's name)
  caf::actor_addr server;      // the session's MCP server actor; unset until bound
  std::int64_t created_ms = 0; // Unix milliseconds
  std::int64_t last_seen_ms = 0;
  std::string protocol_version; // negotiated; empty until initialize completed
  session_status status = session_status::active;
  std::string end_reason; // "deleted", "expired", "server_down", or the caller's reason
  std::int64_t ended_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_record& x) {
  return f(caf::meta::type_name("session_record"), x.id, x.transport, x.server, x.created_ms,
           x.last_seen_ms, x.protocol_version, x.status, x.end_reason, x.ended_ms);
}

} // namespace cafmcp::services
