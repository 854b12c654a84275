#include "cafmcp/actors/monitoring/dashboard.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace cafmcp::monitoring {

namespace sup = cafmcp::supervision;
namespace core = cafmcp::core;
using json = nlohmann::json;

namespace {

using db_tick_atom = caf::atom_constant<caf::atom("db_tick")>;

json to_json(const core::domain_health& d) {
  json j{{"name", d.name},
         {"status", core::to_string(d.status)},
         {"active", d.active},
         {"specs", d.specs},
         {"latency_us", d.latency_us}};
  if (!d.parts.empty()) {
    j["parts"] = json::array();
    for (auto& p : d.parts)
      j["parts"].push_back(to_json(p));
  }
  return j;
}

caf::behavior dashboard(caf::event_based_actor* self, std::shared_ptr<dashboard_store> store,
                        dashboard_sources sources, std::chrono::milliseconds interval) {
  self->send(self, db_tick_atom::value);
  return {
      [=](db_tick_atom) {
        store->set(render_dashboard_json(sources));
        self->delayed_send(self, interval, db_tick_atom::value);
      },
      [=](db_get_atom) { return caf::make_message(store->get().first, store->get().second); },
  };
}

} // namespace

std::string render_dashboard_json(const dashboard_sources& sources) {
  json view = json::object();
  if (sources.health) {
    auto h = sources.health->get();
    view["health"] = {{"overall", core::to_string(h.overall)}, {"checks", h.checks}};
    view["health"]["domains"] = json::array();
    for (auto& d : h.domains)
      view["health"]["domains"].push_back(to_json(d));
  }
  if (sources.recoveries) {
    view["recoveries"] = json::array();
    for (auto& s : sources.recoveries->summaries())
      view["recoveries"].push_back({{"supervisor", s.supervisor},
                                    {"child", s.child},
                                    {"count", s.recoveries},
                                    {"last_us", s.last_us},
                                    {"max_us", s.max_us},
                                    {"over_target", s.over_target}});
    view["unhealthy_pools"] = json::array();
    for (auto p : sources.recoveries->unhealthy_pools())
      view["unhealthy_pools"].push_back(p);
  }
  if (sources.alerts) {
    view["alerts"] = json::array();
    for (auto& a : sources.alerts->all())
      view["alerts"].push_back(
          {{"name", a.name}, {"active", a.active}, {"message", a.message}, {"fired", a.fired}});
  }
  return view.dump();
}

sup::child_spec dashboard_spec(std::shared_ptr<dashboard_store> store, dashboard_sources sources,
                               std::chrono::milliseconds interval) {
  sup::child_spec spec;
  spec.id = "dashboard";
  spec.start = [=](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(dashboard, store, sources, interval)};
  };
  return spec;
}

} // namespace cafmcp::monitoring
