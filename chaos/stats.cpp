#include "cafmcp/chaos/stats.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace cafmcp::chaos {

namespace {

// Nearest rank: the smallest sample with at least q of the samples at or below it.
double percentile(const std::vector<double>& sorted, double q) {
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

duration_summary summarize(std::vector<double> samples_ms) {
  duration_summary out;
  if (samples_ms.empty())
    return out;
  std::sort(samples_ms.begin(), samples_ms.end());
  out.count = samples_ms.size();
  out.p50_ms = percentile(samples_ms, 0.50);
  out.p99_ms = percentile(samples_ms, 0.99);
  out.max_ms = samples_ms.back();
  return out;
}

nlohmann::json to_json(const duration_summary& x) {
  return {{"count", x.count}, {"p50_ms", x.p50_ms}, {"p99_ms", x.p99_ms}, {"max_ms", x.max_ms}};
}

} // namespace cafmcp::chaos
