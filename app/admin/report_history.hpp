#pragma once
// The latest supervisor reports of the node, for GET /events: a tool in
// another process (the chaos runner) reads what restarted and when, with the
// node's own timestamps (steady_clock is CLOCK_MONOTONIC on Linux, one clock
// for every process of the machine), so polling adds no error to the times.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace cafmcp::app {

class report_history {
public:
  // Keeps the newest `capacity` reports.
  explicit report_history(std::size_t capacity = 10000);

  void add(supervision::supervisor_report r);
  // Reports with steady_ns > `since_ns`, oldest first.
  std::vector<supervision::supervisor_report> since(std::int64_t since_ns) const;

private:
  std::size_t capacity_;
  mutable std::mutex mtx_;
  std::deque<supervision::supervisor_report> reports_;
};

// Joins the report group of `sys` and records every report into `history`;
// send the returned actor an exit to stop.
caf::actor record_reports(caf::actor_system& sys, std::shared_ptr<report_history> history);

} // namespace cafmcp::app
