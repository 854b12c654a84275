#include "cafmcp/actors/monitoring/simple_monitor.hpp"

#include <deque>
#include <iostream>
#include <set>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace cafmcp::monitoring {

namespace sup = cafmcp::supervision;

namespace {

using sm_tick_atom = caf::atom_constant<caf::atom("sm_tick")>;
using clock_type = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch())
      .count();
}

struct monitor_state {
  static inline const char* name = "simple_monitor";
  std::deque<int64_t> pool_restarts;                    // report times, last minute
  std::deque<std::pair<int64_t, std::string>> restarts; // (time, domain), cascade window
};

void set_alert(alert_store& alerts, bool on, const std::string& name, const std::string& message) {
  if (on) {
    if (alerts.raise(name, message, now_ns()))
      std::cerr << "cafmcp: alert " << name << ": " << message << std::endl;
  } else if (alerts.clear(name)) {
    std::cerr << "cafmcp: alert " << name << " cleared" << std::endl;
  }
}

caf::behavior simple_monitor(caf::stateful_actor<monitor_state>* self,
                             std::shared_ptr<alert_store> alerts,
                             std::shared_ptr<core::recovery_store> recoveries,
                             monitor_settings cfg) {
  self->join(sup::report_group(self->system()));
  self->send(self, sm_tick_atom::value);
  auto domain_of = [cfg](const std::string& supervisor) {
    auto i = cfg.domain_of.find(supervisor);
    return i == cfg.domain_of.end() ? supervisor : i->second;
  };
  return {
      [=](sup::supervisor_report& r) {
        if (r.kind != sup::report_kind::restarting)
          return;
        auto& st = self->state;
        if (r.supervisor == cfg.pools_parent)
          st.pool_restarts.push_back(r.steady_ns);
        // A restart under the root belongs to the domain restarted.
        auto domain = domain_of(r.supervisor);
        if (domain == r.supervisor && cfg.domain_of.count(r.child_id) > 0)
          domain = domain_of(r.child_id);
        st.restarts.emplace_back(r.steady_ns, domain);
      },
      [=](sm_tick_atom) {
        auto& st = self->state;
        auto now = now_ns();
        auto minute = std::chrono::nanoseconds{std::chrono::minutes{1}}.count();
        while (!st.pool_restarts.empty() && now - st.pool_restarts.front() > minute)
          st.pool_restarts.pop_front();
        auto window = std::chrono::nanoseconds{cfg.cascade_window}.count();
        while (!st.restarts.empty() && now - st.restarts.front().first > window)
          st.restarts.pop_front();

        auto rate = static_cast<double>(st.pool_restarts.size());
        set_alert(*alerts, rate > cfg.max_pool_restarts_per_min, "pool_restart_rate",
                  std::to_string(st.pool_restarts.size()) + " pool restarts in the last minute");

        int64_t registry_us = 0;
        for (auto& s : recoveries->summaries())
          if (s.supervisor == cfg.registry_parent && s.child == "registry")
            registry_us = s.last_us;
        set_alert(*alerts,
                  registry_us > std::chrono::microseconds{cfg.max_registry_recovery}.count(),
                  "registry_recovery_slow",
                  "last registry recovery took " + std::to_string(registry_us / 1000) + " ms");

        std::set<std::string> domains;
        for (auto& r : st.restarts)
          domains.insert(r.second);
        std::string names;
        for (auto& d : domains)
          names += (names.empty() ? "" : ", ") + d;
        set_alert(*alerts, domains.size() >= 2, "cascading_failure",
                  "restarts in " + std::to_string(domains.size()) + " domains within " +
                      std::to_string(cfg.cascade_window.count()) + " ms: " + names);

        if (cfg.availability)
          if (auto a = cfg.availability())
            set_alert(*alerts, *a < cfg.min_availability, "availability_low",
                      "availability " + std::to_string(*a * 100.0) + "%");
        self->delayed_send(self, cfg.interval, sm_tick_atom::value);
      },
  };
}

} // namespace

sup::child_spec simple_monitor_spec(std::shared_ptr<alert_store> alerts,
                                    std::shared_ptr<core::recovery_store> recoveries,
                                    monitor_settings settings) {
  sup::child_spec spec;
  spec.id = "simple_monitor";
  spec.start = [=](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(simple_monitor, alerts, recoveries, settings)};
  };
  return spec;
}

} // namespace cafmcp::monitoring
