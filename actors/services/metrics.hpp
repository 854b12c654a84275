// The metrics service: counters, gauges and histograms by name and labels, fed fire-and-forget
// by the rest of the node, answered as a snapshot. Message vocabulary: metric_messages.hpp.
//
// It also joins the supervisor report group and records, per supervisor and child: restarts,
// exits, start errors, max-intensity give-ups, and the recovery time from child_terminated to
// the next child_started (metric names in metrics_store.hpp). Restarts per pool are
// cafmcp_supervisor_restarts_total{supervisor="connection_pool_sup",child="pool_3"}; registry
// recovery time is cafmcp_supervisor_recovery_seconds{supervisor="core_sup",child="registry"}.
//
// Crash and restart: every series and every recovery in progress live in a metrics_store owned
// one level up. The reports published while no incarnation is joined (its own death and
// restart among them) are not seen.
#pragma once

#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/group.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/metric_messages.hpp"
#include "cafmcp/actors/services/metrics_store.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

struct metrics_settings {
  metrics_limits limits;
  bool join_reports = true;
  caf::group reports;               // invalid: supervision::report_group(system)
  std::shared_ptr<service_ref> ref; // optional: where callers find the current incarnation
};

struct metrics_state {
  static inline const char* name = "metrics";
  std::shared_ptr<metrics_store> store;
  metrics_settings settings;
};

// `sys.spawn(metrics, store, settings)`. A null store stops it with invalid_argument.
caf::behavior metrics(caf::stateful_actor<metrics_state>* self,
                      std::shared_ptr<metrics_store> store, metrics_settings settings);

supervision::child_spec metrics_spec(std::shared_ptr<metrics_store> store,
                                     metrics_settings settings, std::string id = "metrics");

// Fire-and-forget helpers. An invalid handle (no metrics service, or one restarting) makes them
// do nothing: metrics must never be a reason for an operation to fail.
void count(const caf::actor& metrics, std::string name, metric_labels labels = {}, double by = 1);
void gauge_set(const caf::actor& metrics, std::string name, metric_labels labels, double value);
void gauge_add(const caf::actor& metrics, std::string name, metric_labels labels, double delta);
void observe(const caf::actor& metrics, std::string name, metric_labels labels, double seconds);

} // namespace cafmcp::services
