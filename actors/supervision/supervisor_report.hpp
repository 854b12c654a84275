#pragma once
// SASL-like supervisor reports. Every supervisor publishes them on an event
// stream (a CAF local group) that tests, metrics and the chaos runner join.

#include <cstdint>
#include <string>

#include <caf/actor_addr.hpp>
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

namespace cafmcp::supervision {

enum class report_kind : uint8_t {
  child_started,    // progress report: a child is running
  child_terminated, // a child ended in a way its restart type reports
  restarting,       // a restart begins (counted against intensity)
  start_error,      // a start function failed or the child died in init
  shutdown_error,   // a child ended other than asked when stopped (killed after its timeout, ...)
  max_intensity_reached, // more restarts than intensity within period: giving up
  supervisor_terminated, // the supervisor itself ends (reason says why)
};

struct supervisor_report {
  report_kind kind = report_kind::child_started;
  std::string supervisor; // the supervisor's name, e.g. "pool_3"
  caf::actor_addr supervisor_addr;
  std::string child_id;  // empty for simple_one_for_one children
  caf::actor_addr child; // the process concerned, if any
  caf::error reason;     // exit or error reason, if any
  uint64_t count = 1;    // children concerned (aggregated shutdown errors)
  int64_t steady_ns = 0; // std::chrono::steady_clock time of the event
};

std::string to_string(report_kind x);
std::string to_string(const supervisor_report& x);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervisor_report& x) {
  return f(caf::meta::type_name("supervisor_report"), x.kind, x.supervisor, x.supervisor_addr,
           x.child_id, x.child, x.reason, x.count, x.steady_ns);
}

} // namespace cafmcp::supervision
