#pragma once
// GET /metrics: the node's metrics in the Prometheus text exposition format (0.0.4).
//
// Rendered on the admin thread straight from the stores, without asking an actor: a scrape
// then works while the metrics service restarts, and costs the node's actors nothing.
// Sources, each with its own family names (a name appears once in a document):
//   the live table        requests by method and outcome, request latency, sessions per
//                         transport, SSE streams (metrics_live.hpp)
//   the metrics service   supervisor restarts/exits/start errors per supervisor and child,
//                         recovery time histograms, routing latency, per-pool active sessions
//   read at scrape time   domain and pool health, connections per pool (registry), recovery
//                         summaries, alerts, event-store size, tasks, sessions, registry routes

#include <string>

#include "cafmcp/app/node/node.hpp"

namespace cafmcp::app {

inline constexpr const char metrics_content_type[] = "text/plain; version=0.0.4; charset=utf-8";

std::string render_metrics(node& n);

} // namespace cafmcp::app
