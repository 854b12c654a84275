#pragma once
// Runs one scenario against a target under live load and measures it:
//   open the load sessions -> warm up -> write durable data -> inject the plan,
//   measuring every victim's way back on a thread of its own -> settle ->
//   read the durable data back -> stop the load -> analyze.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "cafmcp/chaos/results.hpp"
#include "cafmcp/chaos/scenario.hpp"
#include "cafmcp/chaos/target.hpp"
#include "cafmcp/transports/io_runner.hpp"

namespace cafmcp::chaos {

struct run_options {
  std::size_t sessions = 300;
  double calls_per_second = 1.0;             // per session
  std::chrono::milliseconds duration{10000}; // extended injection
  double kills_per_second = 2.0;             // extended injection
  std::uint64_t seed = 1;
  std::chrono::milliseconds warmup{1000};
  std::chrono::milliseconds settle{1500};
  std::chrono::milliseconds call_timeout{5000};
  // Which of the target's transports carry load ("http", "sse", "websocket",
  // "tcp"); empty: all of them.
  std::vector<std::string> transports;
  std::ostream* progress = nullptr; // a live line, rewritten in place
};

scenario_result run_scenario(caf::actor_system& sys, transports::io_runner& io, target& t,
                             const scenario& s, const run_options& opts);

} // namespace cafmcp::chaos
