#pragma once
// The connection pool domain: connection_pool_sup (one_for_one) over the
// session_broker (the pools' front door) and pool_0 .. pool_{N-1}, each a
// simple_one_for_one supervisor of temporary per-session MCP server actors.
//
// Why one_for_one over the pools (DESIGN.md §2): a pool's death must touch
// only its own sessions, about 1/N of them; erlmcp's rest_for_one would stop
// every pool started after it.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/core/recovery_store.hpp"
#include "cafmcp/actors/mcp/session_protocol.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/registry/registry_ref.hpp"
#include "cafmcp/registry/registry_table.hpp"

namespace cafmcp::pool {

// Spawns the MCP server actor of one session, from inside its pool supervisor.
using server_factory = std::function<caf::expected<caf::actor>(
    caf::local_actor* pool, const caf::actor& sink, const std::string& session_id,
    cafmcp::mcp::transport_kind kind)>;

struct pool_settings {
  size_t num_pools = 10;
  size_t servers_per_pool = 1500;
  // connection_pool_sup's own budget: how many pool restarts it absorbs.
  cafmcp::supervision::supervisor_flags flags{cafmcp::supervision::strategy::one_for_one, 5,
                                              std::chrono::milliseconds{60000}};
  std::string name = "connection_pool_sup";
  // Each pool's own budget (its children are temporary, so it rarely matters).
  int pool_intensity = 5;
  std::chrono::milliseconds pool_period{10000};
};

// What the broker needs from the rest of the node.
struct broker_wiring {
  server_factory make_server;
  std::shared_ptr<cafmcp::registry::registry_table> routes; // read: session_find
  std::shared_ptr<cafmcp::registry::registry_ref> registry; // write: via the registry actor
  std::shared_ptr<cafmcp::core::recovery_store> health;     // pools out of rotation
  // The session manager issues the session ids and records the sessions.
  // Without one (an embedding that runs no config services) the broker draws
  // the ids itself from the same CSPRNG.
  std::shared_ptr<cafmcp::services::service_ref> sessions;
  // Where the broker reports active sessions per pool and how long opening a
  // session takes (routing latency); optional.
  std::shared_ptr<cafmcp::services::service_ref> metrics;
};

// The pool supervisor "pool_<i>".
cafmcp::supervision::supervisor_config
pool_config(size_t index, server_factory make_server, int intensity = 5,
            std::chrono::milliseconds period = std::chrono::milliseconds{10000});

// connection_pool_sup with its broker and pools; the broker is named
// "session_broker" and registers itself in CAF's actor registry under
// broker_name, where the transports find the current incarnation.
cafmcp::supervision::supervisor_config connection_pool_config(pool_settings settings,
                                                              broker_wiring wiring);

inline constexpr const char broker_registry_name[] = "mcp_broker";

} // namespace cafmcp::pool
