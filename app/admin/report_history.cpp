#include "cafmcp/app/admin/report_history.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/supervision/supervisor.hpp"

namespace cafmcp::app {

report_history::report_history(std::size_t capacity) : capacity_(capacity) {}

void report_history::add(supervision::supervisor_report r) {
  std::lock_guard<std::mutex> guard{mtx_};
  reports_.push_back(std::move(r));
  while (reports_.size() > capacity_)
    reports_.pop_front();
}

std::vector<supervision::supervisor_report> report_history::since(std::int64_t since_ns) const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<supervision::supervisor_report> out;
  for (auto& r : reports_)
    if (r.steady_ns > since_ns)
      out.push_back(r);
  return out;
}

caf::actor record_reports(caf::actor_system& sys, std::shared_ptr<report_history> history) {
  return sys.spawn([history, grp = supervision::report_group(sys)](caf::event_based_actor* self) {
    self->join(grp);
    return caf::behavior{
        [history](supervision::supervisor_report& r) { history->add(std::move(r)); },
    };
  });
}

} // namespace cafmcp::app
