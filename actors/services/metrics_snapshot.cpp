#include "cafmcp/actors/services/metrics_snapshot.hpp"

#include <cmath>
#include <cstdio>

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

std::string number(double v) {
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v))
    return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

std::string escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string label_text(const metric_labels& labels, const std::string& extra = {}) {
  if (labels.empty() && extra.empty())
    return {};
  std::string out = "{";
  bool first = true;
  for (auto& [k, v] : labels) {
    out += (first ? "" : ",") + k + "=\"" + escape(v) + "\"";
    first = false;
  }
  if (!extra.empty())
    out += (first ? "" : ",") + extra;
  return out + "}";
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
