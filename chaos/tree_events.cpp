#include "cafmcp/chaos/tree_events.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/supervision/supervisor.hpp"

namespace cafmcp::chaos {

namespace sup = cafmcp::supervision;

void tree_events::add(tree_event e) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    events_.push_back(std::move(e));
  }
  cv_.notify_all();
}

std::optional<steady::time_point> tree_events::await_started(const std::string& supervisor,
                                                             const std::string& child_id,
                                                             steady::time_point since,
                                                             steady::time_point deadline) {
  std::unique_lock<std::mutex> guard{mtx_};
  std::optional<steady::time_point> found;
  cv_.wait_until(guard, deadline, [&] {
    for (auto& e : events_)
      if (e.kind == sup::report_kind::child_started && e.at >= since &&
          e.supervisor == supervisor && e.child_id == child_id) {
        found = e.at;
        return true;
      }
    return false;
  });
  return found;
}

std::vector<tree_event> tree_events::cascades(const std::vector<victim>& victims,
                                              steady::time_point from,
                                              steady::time_point to) const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<tree_event> out;
  for (auto& e : events_) {
    if (e.at < from || e.at > to)
      continue;
    if (e.kind != sup::report_kind::restarting && e.kind != sup::report_kind::max_intensity_reached)
      continue;
    bool explained = false;
    for (auto& v : victims)
      explained = explained || within_domain(v, e.supervisor, e.child_id);
    if (!explained)
      out.push_back(e);
  }
  return out;
}

std::vector<tree_event> tree_events::all() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return events_;
}

bool within_domain(const victim& v, const std::string& supervisor, const std::string& child_id) {
  switch (v.domain) {
  case domain_kind::pool:
    // connection_pool_sup restarts the pool; the pool's own servers are
    // temporary and never restarted.
    return (supervisor == "connection_pool_sup" && child_id == v.name) || supervisor == v.name;
  case domain_kind::config_service:
    return supervisor == "config_sup" && child_id == v.name;
  case domain_kind::monitoring:
    // rest_for_one: the killed service and the ones started after it.
    return supervisor == "monitoring_sup";
  case domain_kind::registry:
    // one_for_all: all of core restarts with the registry.
    return supervisor == "core_sup";
  case domain_kind::server:
    return false; // temporary: a server's death restarts nothing
  case domain_kind::node:
    return true; // everything restarts with the node
  }
  return false;
}

std::optional<std::pair<std::string, std::string>> restarted_by(const victim& v) {
  switch (v.domain) {
  case domain_kind::pool:
    return std::make_pair(std::string{"connection_pool_sup"}, v.name);
  case domain_kind::config_service:
    return std::make_pair(std::string{"config_sup"}, v.name);
  case domain_kind::monitoring:
    return std::make_pair(std::string{"monitoring_sup"}, v.name);
  case domain_kind::registry:
    return std::make_pair(std::string{"core_sup"}, v.name);
  case domain_kind::server:
  case domain_kind::node:
    return std::nullopt;
  }
  return std::nullopt;
}

caf::actor follow_reports(caf::actor_system& sys, std::shared_ptr<tree_events> sink) {
  return sys.spawn([sink, grp = sup::report_group(sys)](caf::event_based_actor* self) {
    self->join(grp);
    return caf::behavior{
        [sink](const sup::supervisor_report& r) {
          sink->add({r.kind, r.supervisor, r.child_id,
                     steady::time_point{std::chrono::nanoseconds{r.steady_ns}}});
        },
    };
  });
}

} // namespace cafmcp::chaos
