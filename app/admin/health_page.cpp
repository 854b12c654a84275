#include "cafmcp/app/admin/health_page.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/core/recovery_manager.hpp"

namespace cafmcp::app {

using json = nlohmann::json;

namespace {

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

json domain_json(const core::domain_health& d) {
  json j{{"name", d.name},
         {"status", core::to_string(d.status)},
         {"active", d.active},
         {"specs", d.specs},
         {"check_us", d.latency_us}};
  if (!d.parts.empty()) {
    j["pools"] = json::array();
    for (auto& p : d.parts)
      j["pools"].push_back(domain_json(p));
  }
  return j;
}

json readiness_json(const readiness& r) {
  return {{"tree_running", r.tree_running},
          {"health_fresh", r.fresh},
          {"pools_admitting", r.pools_admitting}};
}

} // namespace

readiness read_readiness(node& n) {
  readiness r;
  r.tree_running = static_cast<bool>(n.root());
  auto h = n.state().health->get();
  auto& cfg = n.config().health;
  // A round ends within about two timeouts; allow two missed rounds before calling it stale.
  auto max_age = std::chrono::nanoseconds{3 * cfg.check_interval + 2 * cfg.check_timeout +
                                          std::chrono::seconds{1}};
  r.fresh = h.checked_ns != 0 && steady_ns() - h.checked_ns <= max_age.count();
  r.overall = r.fresh ? h.overall : core::health_status::unknown;
  // Observability is not service: a monitoring domain that is down (restarting, say) leaves
  // the node serving, degraded, as long as every other domain is up or degraded.
  if (r.overall == core::health_status::down && !h.domains.empty()) {
    bool only_monitoring = true;
    for (auto& d : h.domains)
      if (d.status == core::health_status::down && d.name != "monitoring_sup")
        only_monitoring = false;
    if (only_monitoring)
      r.overall = core::health_status::degraded;
  }
  auto& rec = n.state().recoveries;
  for (auto& d : h.domains)
    for (auto& p : d.parts) {
      auto idx = core::pool_index(p.name);
      bool in_rotation = idx < 0 || !rec || !rec->is_unhealthy(static_cast<size_t>(idx));
      if (p.status == core::health_status::up && in_rotation)
        ++r.pools_admitting;
    }
  return r;
}

admin_response health_response(node& n) {
  auto r = read_readiness(n);
  auto h = n.state().health->get();
  json body{{"status", r.serving() ? core::to_string(r.overall) : std::string{"down"}},
            {"overall", core::to_string(r.overall)},
            {"serving", r.serving()},
            {"checks", h.checks}};
  body.update(readiness_json(r));
  body["domains"] = json::array();
  for (auto& d : h.domains)
    body["domains"].push_back(domain_json(d));
  return {r.serving() ? 200 : 503, body.dump()};
}

admin_response live_response() {
  return {200, json{{"status", "alive"}}.dump()};
}

admin_response ready_response(node& n) {
  auto r = read_readiness(n);
  json body{{"status", r.ready() ? "ready" : "not_ready"}};
  body.update(readiness_json(r));
  return {r.ready() ? 200 : 503, body.dump()};
}

} // namespace cafmcp::app
