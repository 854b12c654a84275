#pragma once
// What the supervisors of the target reported while the chaos ran: the
// runner's evidence for "replacement running" and for cascades.
//
// Filled from the report group in-process, or from the admin endpoint's event
// stream for a node in another process (steady_clock is CLOCK_MONOTONIC on
// Linux, the same clock in every process of the machine). Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "cafmcp/actors/supervision/supervisor_report.hpp"
#include "cafmcp/chaos/domain.hpp"

namespace cafmcp::chaos {

using steady = std::chrono::steady_clock;

struct tree_event {
  supervision::report_kind kind = supervision::report_kind::child_started;
  std::string supervisor;
  std::string child_id;
  steady::time_point at;
};

class tree_events {
public:
  void add(tree_event e);

  // The first child_started of `child_id` under `supervisor` at or after
  // `since`; waits until `deadline` for it.
  std::optional<steady::time_point> await_started(const std::string& supervisor,
                                                  const std::string& child_id,
                                                  steady::time_point since,
                                                  steady::time_point deadline);

  // Restarts (restarting reports, and max_intensity_reached) in [from, to]
  // that no victim's own failure domain explains: a failure that spread.
  std::vector<tree_event> cascades(const std::vector<victim>& victims, steady::time_point from,
                                   steady::time_point to) const;

  std::vector<tree_event> all() const;

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<tree_event> events_;
};

// Whether a restart by `supervisor` of `child_id` belongs to the failure domain
// of `v` (the victim itself, or what its domain's strategy restarts with it).
bool within_domain(const victim& v, const std::string& supervisor, const std::string& child_id);

// The supervisor that restarts `v` and the child id it reports: where
// "replacement running" is read. Nullopt for servers and the node.
std::optional<std::pair<std::string, std::string>> restarted_by(const victim& v);

// Joins the report group of `sys` and copies every report into `sink` until
// the returned actor is stopped (send it an exit) or the system shuts down.
caf::actor follow_reports(caf::actor_system& sys, std::shared_ptr<tree_events> sink);

} // namespace cafmcp::chaos
