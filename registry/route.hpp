// One routing entry: where the traffic of a session/connection id goes.
#pragma once

#include <chrono>
#include <cstddef>

#include <caf/actor.hpp>

namespace cafmcp::registry {

struct route {
  // The MCP server actor of the session. A strong handle: the table is what the restarted
  // registry re-monitors, so it must be able to name the actor even while nobody else asks.
  caf::actor server;
  // The pool whose supervisor owns `server` (for per-pool counts and pool-crash accounting).
  std::size_t pool = 0;
  // Wall-clock time of registration (for admin views and session age; not used for routing).
  std::chrono::system_clock::time_point registered_at;
};

} // namespace cafmcp::registry
