#pragma once
// Order statistics of a set of measured durations (milliseconds), as the
// chaos report prints them: count, p50, p99, max.

#include <cstddef>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cafmcp::chaos {

struct duration_summary {
  std::size_t count = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Nearest-rank percentiles; an empty input gives count 0 and zeros.
duration_summary summarize(std::vector<double> samples_ms);

nlohmann::json to_json(const duration_summary& x);

} // namespace cafmcp::chaos
