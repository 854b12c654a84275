#pragma once
// recovery_manager: consumes the supervisors' reports, measures every recovery
// (a child's death -> its replacement running) against the SLA of its kind,
// and takes a pool that crashes too often out of rotation until it is stable.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "cafmcp/actors/core/recovery_store.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::core {

// (rm_stats_atom) -> std::vector<recovery_summary>
using rm_stats_atom = caf::atom_constant<caf::atom("rm_stats")>;
// (rm_unhealthy_atom) -> std::vector<uint64_t>: pools out of rotation
using rm_unhealthy_atom = caf::atom_constant<caf::atom("rm_unheal")>;

struct recovery_settings {
  // SLAs (DESIGN.md §4): a recovery slower than its target is counted as such.
  std::chrono::milliseconds pool_target{500};
  std::chrono::milliseconds service_target{1000};
  std::chrono::milliseconds other_target{1000};
  // More than this many crashes of one pool within the window: unhealthy.
  uint32_t pool_max_consecutive_crashes = 3;
  std::chrono::milliseconds pool_crash_window{60000};
  // An unhealthy pool is readmitted after this long without a crash.
  std::chrono::milliseconds pool_stable_after{10000};
  std::string pool_parent = "connection_pool_sup";
  std::string service_parent = "config_sup";
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, recovery_summary& x) {
  return f(caf::meta::type_name("recovery_summary"), x.supervisor, x.child, x.recoveries, x.last_us,
           x.max_us, x.over_target);
}

// The pool index of a child id "pool_<n>", or -1.
long pool_index(const std::string& child_id);

cafmcp::supervision::child_spec recovery_manager_spec(std::shared_ptr<recovery_store> store,
                                                      recovery_settings settings);

} // namespace cafmcp::core
