#pragma once
// simple_monitor: evaluates the original design's alerts on an interval, from
// the supervisors' reports and the recovery manager's figures:
//   pool_restart_rate        more than `max_pool_restarts_per_min` pool restarts in the last minute
//   registry_recovery_slow   the registry's last recovery took longer than `max_registry_recovery`
//   cascading_failure        restarts in two or more failure domains within `cascade_window`
//   availability_low         measured availability below `min_availability` (when a source is
//   wired)
// An alert is raised once (logged to stderr, counted) and cleared when the
// condition no longer holds.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "cafmcp/actors/core/recovery_store.hpp"
#include "cafmcp/actors/monitoring/alert_store.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::monitoring {

struct monitor_settings {
  std::chrono::milliseconds interval{1000};
  double max_pool_restarts_per_min = 1.0;
  std::chrono::milliseconds max_registry_recovery{500};
  std::chrono::milliseconds cascade_window{2000};
  double min_availability = 0.99;
  std::string pools_parent = "connection_pool_sup";
  std::string registry_parent = "core_sup";
  // Supervisor name -> failure domain (e.g. "pool_3" -> "connection_pool_sup").
  // A supervisor not listed is its own domain.
  std::map<std::string, std::string> domain_of;
  // Measured availability (successful / all requests), when known.
  std::function<std::optional<double>()> availability;
};

cafmcp::supervision::child_spec
simple_monitor_spec(std::shared_ptr<alert_store> alerts,
                    std::shared_ptr<cafmcp::core::recovery_store> recoveries,
                    monitor_settings settings);

} // namespace cafmcp::monitoring
