// A point-in-time copy of every metric, as the metrics service answers mx_snap_atom, with
// lookups for tests and dashboards. /metrics renders it with metrics_exposition::snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "cafmcp/actors/services/metric_messages.hpp"

namespace cafmcp::services {

struct metric_sample {
  std::string name;
  metric_labels labels;
  double value = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metric_sample& x) {
  return f(caf::meta::type_name("metric_sample"), x.name, x.labels, x.value);
}

// Buckets as Prometheus has them: cumulative[i] counts observations <= bounds[i], and
// cumulative.back() (one more entry than bounds) is the +Inf bucket, equal to count.
struct histogram_sample {
  std::string name;
  metric_labels labels;
  std::vector<double> bounds;
  std::vector<std::uint64_t> cumulative;
  double sum = 0;
  std::uint64_t count = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, histogram_sample& x) {
  return f(caf::meta::type_name("histogram_sample"), x.name, x.labels, x.bounds, x.cumulative,
           x.sum, x.count);
}

struct metrics_snapshot {
  std::vector<metric_sample> counters; // sorted by name, then labels
  std::vector<metric_sample> gauges;
  std::vector<histogram_sample> histograms;
  std::uint64_t rejected = 0; // updates dropped (bad name, kind clash, too many series)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metrics_snapshot& x) {
  return f(caf::meta::type_name("metrics_snapshot"), x.counters, x.gauges, x.histograms,
           x.rejected);
}

std::optional<double> counter_value(const metrics_snapshot& s, std::string_view name,
                                    const metric_labels& labels = {});
std::optional<double> gauge_value(const metrics_snapshot& s, std::string_view name,
                                  const metric_labels& labels = {});
const histogram_sample* find_histogram(const metrics_snapshot& s, std::string_view name,
                                       const metric_labels& labels = {});

} // namespace cafmcp::services
