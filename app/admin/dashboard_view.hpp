#pragma once
// The document the /dashboard page shows, as JSON: the supervision tree (every supervisor with
// its state and child counts; pools summarized by counts, not by session), per pool the
// connections, restarts, last recovery and health, the domains' health, recovery times,
// alerts and request totals. Served as /dashboard.json and pushed by /dashboard/events.
//
// It asks supervisors for their children (with a timeout each), so it runs on the admin
// thread; a supervisor that does not answer in time shows as "no_answer".

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include <caf/fwd.hpp>

#include "cafmcp/app/node/node.hpp"

namespace cafmcp::app {

std::string render_dashboard_view(caf::actor_system& sys, node& n);

// Re-renders at most once per `min_interval`, so that several open pages cost one render.
class dashboard_feed {
public:
  dashboard_feed(caf::actor_system& sys, node& n,
                 std::chrono::milliseconds min_interval = std::chrono::milliseconds{100});
  // (version, document); the version grows whenever the document changed.
  std::pair<uint64_t, std::string> current();

private:
  caf::actor_system& sys_;
  node& node_;
  std::chrono::milliseconds min_interval_;
  std::mutex mtx_;
  std::chrono::steady_clock::time_point rendered_{};
  uint64_t version_ = 0;
  std::string doc_;
};

} // namespace cafmcp::app
