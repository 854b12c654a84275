#include "cafmcp/actors/services/metrics.hpp"

#include <utility>
#include <vector>

#include <caf/send.hpp>

#include "cafmcp/actors/services/service_actor.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/service_spec.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"

namespace cafmcp::services {

caf::behavior metrics(caf::stateful_actor<metrics_state>* self,
                      std::shared_ptr<metrics_store> store, metrics_settings settings) {
  if (!store) {
    self->quit(caf::make_error(svc_errc::invalid_argument, "metrics without a store"));
    return {};
  }
  self->state.store = std::move(store);
  self->state.settings = std::move(settings);
  if (self->state.settings.join_reports) {
    auto reports = self->state.settings.reports;
    if (!reports)
      reports = supervision::report_group(self->system());
    self->join(reports);
  }
  prepare_service_actor(self, self->state.settings.ref);
  return {
      [self](mx_update_atom, metric_update& u) {
        self->state.store->apply(u, self->state.settings.limits);
      },
      [self](mx_batch_atom, std::vector<metric_update>& us) {
        for (auto& u : us)
          self->state.store->apply(u, self->state.settings.limits);
      },
      [self](mx_snap_atom) { return self->state.store->snapshot(); },
      [self](supervision::supervisor_report& r) {
        self->state.store->on_report(r, self->state.settings.limits);
      },
  };
}

supervision::child_spec metrics_spec(std::shared_ptr<metrics_store> store,
                                     metrics_settings settings, std::string id) {
  return service_spec(std::move(id), metrics, std::move(store), std::move(settings));
}

namespace {

void send_update(const caf::actor& metrics, metric_op op, std::string name, metric_labels labels,
                 double value) {
  if (metrics)
    caf::anon_send(metrics, mx_update_atom::value,
                   metric_update{op, std::move(name), std::move(labels), value});
}

} // namespace

void count(const caf::actor& metrics, std::string name, metric_labels labels, double by) {
  send_update(metrics, metric_op::counter_add, std::move(name), std::move(labels), by);
}

void gauge_set(const caf::actor& metrics, std::string name, metric_labels labels, double value) {
  send_update(metrics, metric_op::gauge_set, std::move(name), std::move(labels), value);
}

void gauge_add(const caf::actor& metrics, std::string name, metric_labels labels, double delta) {
  send_update(metrics, metric_op::gauge_add, std::move(name), std::move(labels), delta);
}

void observe(const caf::actor& metrics, std::string name, metric_labels labels, double seconds) {
  send_update(metrics, metric_op::observe, std::move(name), std::move(labels), seconds);
}

} // namespace cafmcp::services
