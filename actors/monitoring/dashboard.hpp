#pragma once
// dashboard: keeps a live view of the node (domain health, recovery times,
// active alerts) as one JSON document, rebuilt on an interval and versioned so
// that a page can ask for "anything newer than v". The HTTP page that shows it
// is served by the observability listener.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <caf/atom.hpp>

#include "cafmcp/actors/core/health_monitor.hpp"
#include "cafmcp/actors/core/recovery_store.hpp"
#include "cafmcp/actors/monitoring/alert_store.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::monitoring {

class dashboard_store {
public:
  void set(std::string json) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (json == json_)
      return;
    json_ = std::move(json);
    ++version_;
  }
  std::pair<uint64_t, std::string> get() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return {version_, json_};
  }

private:
  mutable std::mutex mtx_;
  uint64_t version_ = 0;
  std::string json_ = "{}";
};

// (db_get_atom) -> (uint64_t version, std::string json)
using db_get_atom = caf::atom_constant<caf::atom("db_get")>;

struct dashboard_sources {
  std::shared_ptr<cafmcp::core::health_store> health;
  std::shared_ptr<cafmcp::core::recovery_store> recoveries;
  std::shared_ptr<alert_store> alerts;
};

// The JSON view itself (also used by the admin endpoint).
std::string render_dashboard_json(const dashboard_sources& sources);

cafmcp::supervision::child_spec dashboard_spec(std::shared_ptr<dashboard_store> store,
                                               dashboard_sources sources,
                                               std::chrono::milliseconds interval);

} // namespace cafmcp::monitoring
