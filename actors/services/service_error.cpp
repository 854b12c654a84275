#include "cafmcp/actors/services/service_error.hpp"

namespace cafmcp::services {

std::string to_string(svc_errc code) {
  switch (code) {
  case svc_errc::not_found:
    return "not_found";
  case svc_errc::session_terminated:
    return "session_terminated";
  case svc_errc::session_expired:
    return "session_expired";
  case svc_errc::invalid_argument:
    return "invalid_argument";
  case svc_errc::at_capacity:
    return "at_capacity";
  case svc_errc::illegal_transition:
    return "illegal_transition";
  case svc_errc::already_terminal:
    return "already_terminal";
  case svc_errc::task_expired:
    return "task_expired";
  case svc_errc::unknown_event_id:
    return "unknown_event_id";
  case svc_errc::history_evicted:
    return "history_evicted";
  case svc_errc::invalid_icon:
    return "invalid_icon";
  case svc_errc::invalid_cursor:
    return "invalid_cursor";
  case svc_errc::service_restarted:
    return "service_restarted";
  }
  return "svc_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

void add_services_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(services_error_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& context) {
                           auto out = "services: " + to_string(static_cast<svc_errc>(code));
                           if (!context.empty())
                             out += " (" + caf::to_string(context) + ")";
                           return out;
                         });
}

bool is(const caf::error& err, svc_errc code) {
  return err && err.category() == services_error_category &&
         err.code() == static_cast<std::uint8_t>(code);
}

} // namespace cafmcp::services
