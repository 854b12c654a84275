#include "cafmcp/app/admin/dashboard_view.hpp"

#include <map>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/core/recovery_manager.hpp"
#include "cafmcp/actors/services/metrics_snapshot.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"
#include "cafmcp/app/admin/health_page.hpp"

namespace cafmcp::app {

namespace sup = cafmcp::supervision;
using json = nlohmann::json;

namespace {

constexpr auto ask_timeout = std::chrono::milliseconds{1000};
// Supervisors with only workers and more of them than this are summarized (a pool).
constexpr uint64_t max_listed_workers = 20;

json walk(caf::scoped_actor& self, const caf::actor& s, const std::string& name,
          const std::string& status) {
  json j{{"name", name}, {"type", "supervisor"}, {"status", status}};
  sup::child_counts counts;
  bool answered = false;
  self->request(s, ask_timeout, sup::count_children_atom::value)
      .receive(
          [&](sup::child_counts& c) {
            counts = c;
            answered = true;
          },
          [&](caf::error&) {});
  if (!answered) {
    j["status"] = "no_answer";
    return j;
  }
  j["active"] = counts.active;
  j["specs"] = counts.specs;
  j["workers"] = counts.workers;
  j["children"] = json::array();
  if (counts.supervisors == 0 && counts.workers > max_listed_workers)
    return j;
  std::vector<sup::child_info> kids;
  self->request(s, ask_timeout, sup::which_children_atom::value)
      .receive([&](std::vector<sup::child_info>& xs) { kids = std::move(xs); },
               [&](caf::error&) {});
  for (auto& k : kids) {
    auto st = sup::to_string(k.status);
    if (k.type == sup::child_type::supervisor && k.child)
      j["children"].push_back(walk(self, k.child, k.id, st));
    else
      j["children"].push_back({{"name", k.id.empty() ? "session" : k.id},
                               {"type", sup::to_string(k.type)},
                               {"status", k.child ? st : std::string{"not_running"}}});
  }
  return j;
}

json health_json(const core::health_snapshot& h) {
  json domains = json::array();
  for (auto& d : h.domains)
    domains.push_back({{"name", d.name},
                       {"status", core::to_string(d.status)},
                       {"active", d.active},
                       {"specs", d.specs}});
  return {{"overall", core::to_string(h.overall)}, {"checks", h.checks}, {"domains", domains}};
}

} // namespace

std::string render_dashboard_view(caf::actor_system& sys, node& n) {
  auto& st = n.state();
  json doc;
  auto r = read_readiness(n);
  doc["serving"] = r.serving();
  doc["ready"] = r.ready();
  auto h = st.health->get();
  doc["health"] = health_json(h);
  if (!r.fresh)
    doc["health"]["overall"] = "unknown";

  if (n.root()) {
    caf::scoped_actor self{sys};
    doc["tree"] = walk(self, n.root(), root_registry_name, "running");
  } else {
    doc["tree"] = {{"name", root_registry_name}, {"type", "supervisor"}, {"status", "stopped"}};
  }

  // Per pool: connections (registry routes), restarts (metrics service), last recovery and
  // rotation (recovery manager), health (last check).
  auto snap = st.metrics ? st.metrics->snapshot() : services::metrics_snapshot{};
  std::map<std::string, std::string> pool_health;
  for (auto& d : h.domains)
    for (auto& p : d.parts)
      pool_health[p.name] = core::to_string(p.status);
  std::map<std::string, core::recovery_summary> pool_recovery;
  json recoveries = json::array();
  if (st.recoveries)
    for (auto& s : st.recoveries->summaries()) {
      if (s.supervisor == "connection_pool_sup")
        pool_recovery[s.child] = s;
      recoveries.push_back({{"supervisor", s.supervisor},
                            {"child", s.child},
                            {"count", s.recoveries},
                            {"last_ms", s.last_us / 1000.0},
                            {"max_ms", s.max_us / 1000.0},
                            {"over_target", s.over_target}});
    }
  doc["recoveries"] = recoveries;
  json pools = json::array();
  for (size_t i = 0; i < n.config().supervision.num_pools; ++i) {
    auto name = "pool_" + std::to_string(i);
    auto restarts =
        services::counter_value(snap, "cafmcp_supervisor_restarts_total",
                                {{"supervisor", "connection_pool_sup"}, {"child", name}});
    auto rec = pool_recovery.find(name);
    auto ph = pool_health.find(name);
    pools.push_back(
        {{"name", name},
         {"connections", st.routes ? st.routes->count_in_pool(i) : 0},
         {"restarts", restarts ? static_cast<uint64_t>(*restarts) : 0},
         {"last_recovery_ms", rec != pool_recovery.end() ? rec->second.last_us / 1000.0 : 0.0},
         {"health", ph != pool_health.end() ? ph->second : std::string{"unknown"}},
         {"in_rotation", !st.recoveries || !st.recoveries->is_unhealthy(i)}});
  }
  doc["pools"] = pools;

  json alerts = json::array();
  for (auto& a : st.alerts->all())
    alerts.push_back(
        {{"name", a.name}, {"active", a.active}, {"message", a.message}, {"fired", a.fired}});
  doc["alerts"] = alerts;

  using services::request_outcome;
  doc["requests"] = {{"ok", st.live->requests(request_outcome::ok)},
                     {"error", st.live->requests(request_outcome::error)},
                     {"failed", st.live->requests(request_outcome::failed)}};
  json sessions = json::object();
  for (size_t t = 0; t < services::live_metrics::transports.size(); ++t)
    sessions[std::string{services::live_metrics::transports[t]}] = st.live->sessions(t);
  doc["sessions"] = sessions;
  doc["sse_streams"] = st.live->sse_streams();
  return doc.dump();
}

dashboard_feed::dashboard_feed(caf::actor_system& sys, node& n,
                               std::chrono::milliseconds min_interval)
    : sys_(sys), node_(n), min_interval_(min_interval) {}

std::pair<uint64_t, std::string> dashboard_feed::current() {
  std::lock_guard<std::mutex> guard{mtx_};
  auto now = std::chrono::steady_clock::now();
  if (version_ == 0 || now - rendered_ >= min_interval_) {
    auto doc = render_dashboard_view(sys_, node_);
    rendered_ = now;
    if (doc != doc_ || version_ == 0) {
      doc_ = std::move(doc);
      ++version_;
    }
  }
  return {version_, doc_};
}

} // namespace cafmcp::app
