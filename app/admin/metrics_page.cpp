#include "cafmcp/app/admin/metrics_page.hpp"

#include <map>

#include "cafmcp/actors/services/metrics_exposition.hpp"

namespace cafmcp::app {

namespace {

using services::metric_labels;
using services::metrics_exposition;

// Help texts for the series the metrics service records (by name); anything else a caller
// recorded gets a generic one.
std::string service_help(const std::string& name) {
  static const std::map<std::string, std::string> known = {
      {"cafmcp_supervisor_restarts_total",
       "Child restarts by supervisor and child; supervisor=\"connection_pool_sup\" are pool "
       "restarts"},
      {"cafmcp_supervisor_child_exits_total", "Child exits seen by supervisor and child; "
                                              "supervisor=\"pool_N\" are server exits of pool N"},
      {"cafmcp_supervisor_start_errors_total", "Failed child starts by supervisor and child"},
      {"cafmcp_supervisor_max_intensity_total",
       "Times a supervisor exceeded its restart intensity and gave up"},
      {"cafmcp_supervisor_recovery_seconds",
       "Time from a child's death to its replacement running; child=\"registry\" is registry "
       "recovery"},
      {"cafmcp_supervisor_last_recovery_seconds", "The last recovery time of each child"},
      {"cafmcp_routing_latency_seconds",
       "Time the session broker took to route a new session to a pool's server"},
      {"cafmcp_pool_active_sessions", "Sessions the broker placed in each pool and still open"},
  };
  auto i = known.find(name);
  return i != known.end() ? i->second : "cafmcp metric " + name;
}

double health_value(core::health_status s) {
  return s == core::health_status::up || s == core::health_status::degraded ? 1 : 0;
}

void health(metrics_exposition& out, const core::health_snapshot& h) {
  if (out.family("cafmcp_up", "gauge", "1 while the node serves (overall health up or degraded)"))
    out.sample({}, {}, health_value(h.overall));
  if (out.family("cafmcp_domain_up", "gauge",
                 "1 while a failure domain (a child of the root) is up or degraded"))
    for (auto& d : h.domains)
      out.sample({}, {{"domain", d.name}}, health_value(d.status));
  if (out.family("cafmcp_domain_degraded", "gauge",
                 "1 while a failure domain runs with some children not running"))
    for (auto& d : h.domains)
      out.sample({}, {{"domain", d.name}}, d.status == core::health_status::degraded ? 1 : 0);
  if (out.family("cafmcp_domain_check_seconds", "gauge",
                 "How long the last health check of each domain took"))
    for (auto& d : h.domains)
      out.sample({}, {{"domain", d.name}}, static_cast<double>(d.latency_us) / 1e6);
  if (out.family("cafmcp_pool_up", "gauge", "1 while a connection pool answers its health check"))
    for (auto& d : h.domains)
      for (auto& p : d.parts)
        out.sample({}, {{"pool", p.name}}, p.status == core::health_status::up ? 1 : 0);
  if (out.family("cafmcp_health_checks_total", "counter", "Health check rounds completed"))
    out.sample({}, {}, static_cast<double>(h.checks));
}

void recoveries(metrics_exposition& out, const core::recovery_store& r) {
  auto all = r.summaries();
  if (out.family("cafmcp_recoveries_total", "counter",
                 "Recoveries measured by recovery_manager, by supervisor and child"))
    for (auto& s : all)
      out.sample({}, {{"supervisor", s.supervisor}, {"child", s.child}},
                 static_cast<double>(s.recoveries));
  if (out.family("cafmcp_recoveries_over_target_total", "counter",
                 "Recoveries slower than their target (recovery.*_restart_timeout)"))
    for (auto& s : all)
      out.sample({}, {{"supervisor", s.supervisor}, {"child", s.child}},
                 static_cast<double>(s.over_target));
  if (out.family("cafmcp_recovery_max_seconds", "gauge", "The slowest recovery of each child"))
    for (auto& s : all)
      out.sample({}, {{"supervisor", s.supervisor}, {"child", s.child}},
                 static_cast<double>(s.max_us) / 1e6);
  auto unhealthy = r.unhealthy_pools();
  if (out.family("cafmcp_pool_in_rotation", "gauge",
                 "1 while a pool receives new sessions (0: crashed too often, out of rotation)"))
    for (size_t i = 0; i < r.num_pools(); ++i)
      out.sample({}, {{"pool", "pool_" + std::to_string(i)}}, unhealthy.count(i) ? 0 : 1);
}

void alerts(metrics_exposition& out, const monitoring::alert_store& a) {
  static const char* names[] = {"pool_restart_rate", "registry_recovery_slow", "cascading_failure",
                                "availability_low"};
  std::map<std::string, monitoring::alert> by_name;
  for (auto n : names)
    by_name[n].name = n;
  for (auto& x : a.all())
    by_name[x.name] = x;
  if (out.family("cafmcp_alert_active", "gauge", "1 while an alert of simple_monitor is active"))
    for (auto& [name, x] : by_name)
      out.sample({}, {{"alert", name}}, x.active ? 1 : 0);
  if (out.family("cafmcp_alerts_fired_total", "counter", "Times an alert became active"))
    for (auto& [name, x] : by_name)
      out.sample({}, {{"alert", name}}, static_cast<double>(x.fired));
}

} // namespace

std::string render_metrics(node& n) {
  auto& st = n.state();
  metrics_exposition out;
  st.live->write(out);
  if (st.metrics)
    out.snapshot(st.metrics->snapshot(), service_help);
  health(out, st.health->get());
  if (st.recoveries)
    recoveries(out, *st.recoveries);
  alerts(out, *st.alerts);
  if (st.routes) {
    if (out.family("cafmcp_pool_connections", "gauge",
                   "Sessions routed to each pool now (the registry's routes)"))
      for (size_t i = 0; i < n.config().supervision.num_pools; ++i)
        out.sample({}, {{"pool", "pool_" + std::to_string(i)}},
                   static_cast<double>(st.routes->count_in_pool(i)));
    if (out.family("cafmcp_registry_routes", "gauge", "Routes in the session registry"))
      out.sample({}, {}, static_cast<double>(st.routes->size()));
  }
  if (st.sessions && out.family("cafmcp_session_records", "gauge",
                                "Sessions known to the session manager, by state")) {
    out.sample({}, {{"state", "active"}}, static_cast<double>(st.sessions->active_count()));
    out.sample({}, {{"state", "ended"}}, static_cast<double>(st.sessions->ended_count()));
  }
  if (st.sse_events) {
    auto s = st.sse_events->stats();
    if (out.family("cafmcp_event_store_events", "gauge",
                   "Events kept in the SSE event store for resumption (Last-Event-ID)"))
      out.sample({}, {}, static_cast<double>(s.events));
    if (out.family("cafmcp_event_store_bytes", "gauge", "Bytes of those events"))
      out.sample({}, {}, static_cast<double>(s.bytes));
    if (out.family("cafmcp_event_store_streams", "gauge", "Streams in the SSE event store"))
      out.sample({}, {}, static_cast<double>(s.streams));
  }
  if (st.tasks && out.family("cafmcp_tasks", "gauge",
                             "MCP tasks kept by the task manager (terminal ones included)"))
    out.sample({}, {}, static_cast<double>(st.tasks->size()));
  return out.text();
}

} // namespace cafmcp::app
