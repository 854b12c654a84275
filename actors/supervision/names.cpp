// Readable names for the library's enums and reports (used in logs and tests).
#include <caf/deep_to_string.hpp>

#include "cafmcp/actors/supervision/child_spec.hpp"
#include "cafmcp/actors/supervision/supervisor_flags.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace cafmcp::supervision {

std::string to_string(restart_type x) {
  switch (x) {
  case restart_type::permanent:
    return "permanent";
  case restart_type::transient:
    return "transient";
  case restart_type::temporary:
    return "temporary";
  }
  return "?";
}

std::string to_string(child_type x) {
  return x == child_type::supervisor ? "supervisor" : "worker";
}

std::string to_string(strategy x) {
  switch (x) {
  case strategy::one_for_one:
    return "one_for_one";
  case strategy::one_for_all:
    return "one_for_all";
  case strategy::rest_for_one:
    return "rest_for_one";
  case strategy::simple_one_for_one:
    return "simple_one_for_one";
  }
  return "?";
}

std::string to_string(auto_shutdown x) {
  switch (x) {
  case auto_shutdown::never:
    return "never";
  case auto_shutdown::any_significant:
    return "any_significant";
  case auto_shutdown::all_significant:
    return "all_significant";
  }
  return "?";
}

std::string to_string(child_status x) {
  switch (x) {
  case child_status::running:
    return "running";
  case child_status::restarting:
    return "restarting";
  case child_status::undefined:
    return "undefined";
  }
  return "?";
}

std::string to_string(report_kind x) {
  switch (x) {
  case report_kind::child_started:
    return "child_started";
  case report_kind::child_terminated:
    return "child_terminated";
  case report_kind::restarting:
    return "restarting";
  case report_kind::start_error:
    return "start_error";
  case report_kind::shutdown_error:
    return "shutdown_error";
  case report_kind::max_intensity_reached:
    return "max_intensity_reached";
  case report_kind::supervisor_terminated:
    return "supervisor_terminated";
  }
  return "?";
}

std::string to_string(const supervisor_report& x) {
  std::string out = "supervisor_report{" + to_string(x.kind) + ", supervisor=" + x.supervisor;
  if (!x.child_id.empty())
    out += ", child=" + x.child_id;
  if (x.reason)
    out += ", reason=" + caf::to_string(x.reason);
  if (x.count != 1)
    out += ", count=" + std::to_string(x.count);
  return out + "}";
}

} // namespace cafmcp::supervision
