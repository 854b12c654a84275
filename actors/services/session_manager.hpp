// The session manager: issues MCP session ids and keeps every session's record (transport,
// server actor, created, last seen, negotiated version) and expiry. Message vocabulary:
// session_messages.hpp.
//
// Crash and restart: the records live in a session_store owned one level up. Each incarnation
// re-monitors the server of every active session (a server that died meanwhile ends its
// sessions at once) and every watcher, and arms its own sweep timer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/monitor_set.hpp"
#include "cafmcp/actors/services/service_clock.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/services/session_store.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

// From the node config: ttl = sessions.ttl, max_sessions = limits.max_sessions.
struct session_settings {
  std::chrono::milliseconds ttl{1800000}; // without activity; 0 = never expires
  std::chrono::milliseconds sweep_interval{1000};
  // How long ended ids stay known as ended (404) before they are forgotten (then not_found),
  // and at most how many.
  std::chrono::milliseconds ended_retention{3600000};
  std::size_t max_ended = 100000;
  std::size_t max_sessions = 15000;
  clock_fn clock = system_clock_ms;
  std::shared_ptr<service_ref> ref; // optional: where callers find the current incarnation
};

struct session_manager_state {
  static inline const char* name = "session_manager";
  std::shared_ptr<session_store> store;
  session_settings settings;
  monitor_set monitors; // session servers and watchers
  // Only the sweep timer carrying the current token re-arms, so at most one timer chain runs
  // (delayed_send cannot be cancelled in CAF 0.17).
  std::uint64_t sweep_token = 0;
};

// `sys.spawn(session_manager, store, settings)`. A null store stops it at once with
// invalid_argument.
caf::behavior session_manager(caf::stateful_actor<session_manager_state>* self,
                              std::shared_ptr<session_store> store, session_settings settings);

supervision::child_spec session_manager_spec(std::shared_ptr<session_store> store,
                                             session_settings settings,
                                             std::string id = "session_manager");

} // namespace cafmcp::services
