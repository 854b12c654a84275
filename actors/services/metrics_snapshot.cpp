#include "cafmcp/actors/services/metrics_snapshot.hpp"

#include "cafmcp/actors/services/metrics_exposition.hpp"

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

// The same text as the /metrics exposition writes.
std::string number(double v) {
  return metrics_exposition::number(v);
}

std::string label_text(const metric_labels& labels, const std::string& extra = {}) {
  return metrics_exposition::labels(labels, extra);
}

void simple(std::string& out, const std::vector<metric_sample>& xs, const char* type) {
  std::string last;
  for (auto& x : xs) {
    if (x.name != last)
      out += "# TYPE " + x.name + " " + type + "\n";
    last = x.name;
    out += x.name + label_text(x.labels) + " " + number(x.value) + "\n";
  }
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

std::string to_prometheus_text(const metrics_snapshot& s) {
  std::string out;
  simple(out, s.counters, "counter");
  simple(out, s.gauges, "gauge");
  std::string last;
  for (auto& h : s.histograms) {
    if (h.name != last)
      out += "# TYPE " + h.name + " histogram\n";
    last = h.name;
    for (std::size_t i = 0; i < h.cumulative.size(); ++i) {
      auto le = i < h.bounds.size() ? number(h.bounds[i]) : std::string{"+Inf"};
      out += h.name + "_bucket" + label_text(h.labels, "le=\"" + le + "\"") + " " +
             std::to_string(h.cumulative[i]) + "\n";
    }
    out += h.name + "_sum" + label_text(h.labels) + " " + number(h.sum) + "\n";
    out += h.name + "_count" + label_text(h.labels) + " " + std::to_string(h.count) + "\n";
  }
  return out;
}

} // namespace cafmcp::services
