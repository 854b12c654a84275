#include "cafmcp/actors/services/metrics_exposition.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cafmcp::services {

namespace {

std::string escape_label(const std::string& value) {
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

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

} // namespace

std::string metrics_exposition::labels(const metric_labels& labels, std::string_view extra) {
  if (labels.empty() && extra.empty())
    return {};
  std::string out = "{";
  bool first = true;
  for (auto& [k, v] : labels) {
    out += (first ? "" : ",") + k + "=\"" + escape_label(v) + "\"";
    first = false;
  }
  if (!extra.empty()) {
    out += first ? "" : ",";
    out += extra;
  }
  return out + "}";
}

std::string metrics_exposition::number(double v) {
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v))
    return "NaN";
  // The shortest text that reads back as the same double (0.00025, not 0.00025000000000000001).
  char buf[64];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

bool metrics_exposition::family(const std::string& name, std::string_view type,
                                std::string_view help) {
  dropping_ = !seen_.insert(name).second;
  if (dropping_)
    return false;
  current_ = name;
  text_ += "# HELP " + name + " " + escape_help(help) + "\n";
  text_ += "# TYPE " + name + " ";
  text_ += type;
  text_ += "\n";
  return true;
}

void metrics_exposition::sample(std::string_view suffix, const metric_labels& labels, double value,
                                std::string_view extra_label) {
  if (dropping_ || current_.empty())
    return;
  text_ += current_;
  text_ += suffix;
  text_ += metrics_exposition::labels(labels, extra_label) + " " + number(value) + "\n";
}

void metrics_exposition::histogram(const metric_labels& labels, const std::vector<double>& bounds,
                                   const std::vector<std::uint64_t>& buckets, double sum,
                                   std::uint64_t count) {
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    running += buckets[i];
    auto le = i < bounds.size() ? number(bounds[i]) : std::string{"+Inf"};
    sample("_bucket", labels, static_cast<double>(running), "le=\"" + le + "\"");
  }
  sample("_sum", labels, sum);
  sample("_count", labels, static_cast<double>(count));
}

void metrics_exposition::snapshot(const metrics_snapshot& s,
                                  const std::function<std::string(const std::string&)>& help) {
  auto simple = [&](const std::vector<metric_sample>& xs, std::string_view type) {
    std::string last;
    for (auto& x : xs) {
      if (x.name != last)
        family(x.name, type, help(x.name));
      last = x.name;
      sample({}, x.labels, x.value);
    }
  };
  simple(s.counters, "counter");
  simple(s.gauges, "gauge");
  std::string last;
  for (auto& h : s.histograms) {
    if (h.name != last)
      family(h.name, "histogram", help(h.name));
    last = h.name;
    // The snapshot's buckets are cumulative already: undo that for histogram().
    std::vector<std::uint64_t> per_bucket;
    std::uint64_t prev = 0;
    for (auto c : h.cumulative) {
      per_bucket.push_back(c - prev);
      prev = c;
    }
    histogram(h.labels, h.bounds, per_bucket, h.sum, h.count);
  }
}

} // namespace cafmcp::services
