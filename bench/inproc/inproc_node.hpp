#pragma once
// A node for in-process benchmarks: the whole supervision tree, no listeners,
// sized for `sessions`, and CAF's scheduler on every core.

#include <memory>

#include <caf/all.hpp>

#include "cafmcp/app/node/node.hpp"

namespace bench {

inline cafmcp::app::node_config inproc_config(size_t sessions) {
  cafmcp::app::node_config cfg;
  cfg.transports.http.enabled = false;
  cfg.admin.enabled = false;
  cfg.limits.max_sessions = static_cast<std::uint32_t>(sessions * 2 + 1000);
  cfg.supervision.servers_per_pool =
      static_cast<std::uint32_t>(sessions / cfg.supervision.num_pools * 2 + 1000);
  return cfg;
}

struct actor_system_setup : caf::actor_system_config {
  actor_system_setup() {
    set("scheduler.max-threads", static_cast<int>(std::thread::hardware_concurrency()));
    cafmcp::app::add_error_categories(*this);
  }
};

} // namespace bench
