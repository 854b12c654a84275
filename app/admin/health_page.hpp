#pragma once
// GET /health, /health/live, /health/ready: answers for load balancers and orchestrators.
//
//   /health        every failure domain's status (and each pool's) and the overall one;
//                  200 while the node serves, 503 when it does not
//   /health/live   200 while the process answers at all (restart the process if not)
//   /health/ready  200 once the tree runs and at least one pool admits sessions: up in the
//                  last health check and in rotation (not taken out for crashing too often);
//                  503 otherwise (send no traffic)
// "Serves" is ready and an overall status of up or degraded; a monitoring domain that is down
// only degrades it (monitoring failures never touch sessions, so they must not take the node
// out of a load balancer). A health snapshot older than a few
// check intervals counts as unknown: a stuck or stopped health monitor must not report "up".

#include "cafmcp/app/admin/admin_handler.hpp"
#include "cafmcp/app/node/node.hpp"

namespace cafmcp::app {

struct readiness {
  bool tree_running = false;
  bool fresh = false;         // the health snapshot is recent
  size_t pools_admitting = 0; // up and in rotation
  core::health_status overall = core::health_status::unknown;
  bool ready() const { return tree_running && fresh && pools_admitting > 0; }
  bool serving() const {
    return ready() &&
           (overall == core::health_status::up || overall == core::health_status::degraded);
  }
};

readiness read_readiness(node& n);

admin_response health_response(node& n);
admin_response live_response();
admin_response ready_response(node& n);

} // namespace cafmcp::app
