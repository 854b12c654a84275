#pragma once
// Turns what the load saw (load_log) and what the runner measured live
// (victim_result times) into the report's figures: impact per injection,
// success inside and outside the killed domains, measured and modelled
// availability, and the pass/fail checks.

#include <vector>

#include "cafmcp/chaos/load_log.hpp"
#include "cafmcp/chaos/results.hpp"

namespace cafmcp::chaos {

struct analysis_input {
  const load_logs* logs = nullptr;
  steady::time_point chaos_start;
  steady::time_point run_start; // load running: the availability window begins here
  steady::time_point run_end;
  // Kill instants, one per injection in r.injections (same order).
  std::vector<steady::time_point> kill_times;
  std::size_t num_pools = 0; // for the pools-as-backups formula
};

// Fills the post-hoc figures of `r`: server/pool registered and serving
// times from the session logs, impact, request counts, availability and the
// checks. Live figures already in `r` are kept.
void analyze(scenario_result& r, const analysis_input& in);

} // namespace cafmcp::chaos
