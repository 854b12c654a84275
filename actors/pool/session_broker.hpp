#pragma once
// session_broker: the pools' front door (the broker half of
// actors/mcp/session_protocol.hpp). For a new session it draws a session id,
// picks the pool by a stable hash of it (skipping pools that are full, down or
// out of rotation), starts the session's server actor in that pool, records the
// route in the registry and answers (server, session id). When every pool is
// full it answers at_capacity.

#include <caf/fwd.hpp>

#include "cafmcp/actors/pool/connection_pools.hpp"

namespace cafmcp::pool {

// Runs under connection_pool_sup (its parent), from which it learns the pools.
cafmcp::supervision::child_spec session_broker_spec(pool_settings settings, broker_wiring wiring);

} // namespace cafmcp::pool
