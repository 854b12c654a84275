#pragma once
// The broker half of session_protocol.hpp without pools: it spawns one
// mcp_server per session_open, names it with a fresh id from the kernel's
// CSPRNG, monitors it and forgets it when it ends. Used by the stdio
// transport, by tests, and by any node until the pool-based broker (which
// spreads sessions over supervised pools) replaces it.
//
//   (session_open_atom, transport_kind, caf::actor sink)
//       -> (caf::actor server, std::string session_id)
//        | error mcp_errc::at_capacity / no_entropy
//   (session_find_atom, std::string session_id)
//       -> caf::actor server | error mcp_errc::session_not_found
//   (caf::get_atom) -> uint64_t live sessions
//
// Sessions are not linked to the broker: one crashing never touches the
// broker or the others. If the broker itself ends, it shuts its sessions down
// (user_shutdown), so none is left without a way to be found.

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/mcp/server_config.hpp"

namespace cafmcp::mcp {

struct broker_options {
  std::size_t max_sessions = 0; // 0: unlimited
};

struct direct_broker_state {
  static inline const char* name = "direct_broker";

  std::shared_ptr<const server_config> config;
  broker_options options;
  std::unordered_map<std::string, caf::actor> by_id;
  std::unordered_map<caf::actor_id, std::string> id_of;
  // Shared with the broker's exit functor, which runs after this state is
  // destroyed (caf-0.17.md §3.4).
  std::shared_ptr<std::unordered_map<caf::actor_id, caf::actor>> live;
};

caf::behavior direct_broker(caf::stateful_actor<direct_broker_state>* self,
                            std::shared_ptr<const server_config> config, broker_options options);

inline caf::actor spawn_direct_broker(caf::actor_system& sys,
                                      std::shared_ptr<const server_config> config,
                                      broker_options options = {}) {
  return sys.spawn(direct_broker, std::move(config), options);
}

} // namespace cafmcp::mcp
