// The metrics service's data: every counter, gauge and histogram series, and the supervisor
// events still waiting for their other half (a child's termination waiting for its restart).
//
// Why a separate object: metrics must survive the metrics actor's crash (DESIGN.md §2), or a
// crash would reset every counter and lose the recoveries in progress. Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cafmcp/actors/services/metric_messages.hpp"
#include "cafmcp/actors/services/metrics_snapshot.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace cafmcp::services {

// Bucket upper bounds in seconds, from 100 µs to 10 s: restarts and routing are expected in the
// sub-millisecond to 100 ms range (DESIGN.md §4), requests up to seconds.
std::vector<double> default_seconds_buckets();

struct metrics_limits {
  std::vector<double> buckets = default_seconds_buckets(); // ascending
  std::size_t max_series = 10000; // over all kinds; protects against label explosions
};

// The metric names the service itself records from supervisor reports, each with the labels
// {supervisor, child} (child is empty for simple_one_for_one children):
namespace metric_names {
constexpr const char* restarts = "cafmcp_supervisor_restarts_total";
constexpr const char* child_exits = "cafmcp_supervisor_child_exits_total";
constexpr const char* start_errors = "cafmcp_supervisor_start_errors_total";
constexpr const char* max_intensity = "cafmcp_supervisor_max_intensity_total";   // {supervisor}
constexpr const char* recovery = "cafmcp_supervisor_recovery_seconds";           // histogram
constexpr const char* last_recovery = "cafmcp_supervisor_last_recovery_seconds"; // gauge
} // namespace metric_names

class metrics_store {
public:
  metrics_store() = default;
  metrics_store(const metrics_store&) = delete;
  metrics_store& operator=(const metrics_store&) = delete;

  // False when the update was rejected (and counted as such).
  bool apply(const metric_update& u, const metrics_limits& limits);

  // Counts restarts, exits and start errors per supervisor and child, and measures recovery:
  // the time from a child's child_terminated to its next child_started, from the reports' own
  // steady-clock stamps (so a slow metrics mailbox does not inflate it).
  void on_report(const supervision::supervisor_report& r, const metrics_limits& limits);

  metrics_snapshot snapshot() const;

private:
  enum class kind : std::uint8_t { counter, gauge, histogram };
  struct series {
    std::string name;
    metric_labels labels;
    double value = 0;                   // counter, gauge
    std::vector<double> bounds;         // histogram
    std::vector<std::uint64_t> buckets; // histogram: per bucket, +Inf last (not cumulative)
    double sum = 0;                     // histogram
    std::uint64_t count = 0;            // histogram
  };

  bool apply_locked(const metric_update& u, const metrics_limits& limits);
  series* series_locked(kind k, const std::string& name, const metric_labels& labels,
                        const metrics_limits& limits);

  mutable std::mutex mtx_;
  std::map<std::string, kind> kinds_; // a name keeps its first kind
  // Keyed by (name, labels): ordered, so snapshots come out sorted.
  std::map<std::pair<std::string, metric_labels>, series> counters_, gauges_, histograms_;
  // (supervisor, child id) -> steady_ns of the child_terminated still waiting for a restart.
  std::map<std::pair<std::string, std::string>, std::int64_t> pending_recovery_;
  std::uint64_t rejected_ = 0;
};

} // namespace cafmcp::services
