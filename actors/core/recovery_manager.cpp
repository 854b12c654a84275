#include "cafmcp/actors/core/recovery_manager.hpp"

#include <cstdlib>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace cafmcp::core {

namespace sup = cafmcp::supervision;

namespace {

using rm_tick_atom = caf::atom_constant<caf::atom("rm_tick")>;

recovery_store::clock::time_point at(const sup::supervisor_report& r) {
  return recovery_store::clock::time_point{std::chrono::nanoseconds{r.steady_ns}};
}

caf::behavior recovery_manager(caf::event_based_actor* self, std::shared_ptr<recovery_store> store,
                               recovery_settings cfg) {
  self->join(sup::report_group(self->system()));
  auto target_of = [cfg](const std::string& supervisor) {
    if (supervisor == cfg.pool_parent)
      return cfg.pool_target;
    if (supervisor == cfg.service_parent)
      return cfg.service_target;
    return cfg.other_target;
  };
  auto tick = std::max(std::chrono::milliseconds{10}, cfg.pool_stable_after / 4);
  self->delayed_send(self, tick, rm_tick_atom::value);
  return {
      [=](sup::supervisor_report& r) {
        switch (r.kind) {
        case sup::report_kind::child_terminated:
          if (r.child_id.empty())
            return; // a simple_one_for_one child: a session, not a domain
          store->child_down(r.supervisor, r.child_id, at(r));
          if (r.supervisor == cfg.pool_parent) {
            auto idx = pool_index(r.child_id);
            if (idx >= 0)
              store->pool_crashed(static_cast<size_t>(idx), at(r), cfg.pool_max_consecutive_crashes,
                                  cfg.pool_crash_window);
          }
          break;
        case sup::report_kind::child_started:
          if (!r.child_id.empty())
            store->child_up(
                r.supervisor, r.child_id, at(r),
                std::chrono::duration_cast<std::chrono::microseconds>(target_of(r.supervisor)));
          break;
        default:
          break;
        }
      },
      [=](rm_tick_atom) {
        store->readmit_stable(recovery_store::clock::now(), cfg.pool_stable_after);
        self->delayed_send(self, tick, rm_tick_atom::value);
      },
      [=](rm_stats_atom) { return store->summaries(); },
      [=](rm_unhealthy_atom) {
        std::vector<uint64_t> out;
        for (auto p : store->unhealthy_pools())
          out.push_back(p);
        return out;
      },
  };
}

} // namespace

long pool_index(const std::string& child_id) {
  static constexpr const char prefix[] = "pool_";
  if (child_id.compare(0, sizeof(prefix) - 1, prefix) != 0 || child_id.size() == sizeof(prefix) - 1)
    return -1;
  char* end = nullptr;
  auto n = std::strtol(child_id.c_str() + sizeof(prefix) - 1, &end, 10);
  return (end && *end == '\0' && n >= 0) ? n : -1;
}

sup::child_spec recovery_manager_spec(std::shared_ptr<recovery_store> store,
                                      recovery_settings settings) {
  sup::child_spec spec;
  spec.id = "recovery_manager";
  spec.start = [store, settings](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(recovery_manager, store, settings)};
  };
  return spec;
}

} // namespace cafmcp::core
