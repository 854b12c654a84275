#include "cafmcp/actors/services/metrics_snapshot.hpp"

namespace cafmcp::services {

namespace {

template <class Sample>
const Sample* find(const std::vector<Sample>& xs, std::string_view name,
                   const metric_labels& labels) {
  for (auto& x : xs)
    if (x.name == name && x.labels == labels)
      return &x;
  return nullptr;
}

} // namespace

std::optional<double> counter_value(const metrics_snapshot& s, std::string_view name,
                                    const metric_labels& labels) {
  if (auto* x = find(s.counters, name, labels))
    return x->value;
  return std::nullopt;
}

std::optional<double> gauge_value(const metrics_snapshot& s, std::string_view name,
                                  const metric_labels& labels) {
  if (auto* x = find(s.gauges, name, labels))
    return x->value;
  return std::nullopt;
}

const histogram_sample* find_histogram(const metrics_snapshot& s, std::string_view name,
                                       const metric_labels& labels) {
  return find(s.histograms, name, labels);
}

} // namespace cafmcp::services
