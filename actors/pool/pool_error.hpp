#pragma once
// Errors of the connection pools, as the transports see them.

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>

namespace cafmcp::pool {

enum class pool_errc : uint8_t {
  none = 0,
  // Every pool is full or out of rotation: the transports answer a JSON-RPC
  // error / HTTP 503 ("at capacity").
  at_capacity,
  // The pools are not known yet (the node is starting) or the broker is stopping.
  not_ready,
  // session_find for an id no live session has.
  unknown_session,
};

std::string to_string(pool_errc x);

void add_error_category(caf::actor_system_config& cfg);

} // namespace cafmcp::pool

CAF_ERROR_CODE_ENUM(cafmcp::pool::pool_errc, "pool")
