#pragma once
// The two kinds of run. Each returns the JSON line it measured.

#include <string>

#include "options.hpp"

namespace loadgen {

// Closed loop: `connections` clients, each initializes its session and then
// calls `echo` (get mode: GETs the path) back to back for warmup + duration.
std::string run_throughput(const options& opt);

// Opens `sessions` initialized sessions (HTTP: each with its GET stream),
// idles (optionally with a trickle of echo calls) and pings every session.
std::string run_sessions(const options& opt);

} // namespace loadgen
