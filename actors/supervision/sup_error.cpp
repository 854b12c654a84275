#include "cafmcp/actors/supervision/sup_error.hpp"

#include <caf/message.hpp>

namespace cafmcp::supervision {

std::string to_string(sup_errc x) {
  switch (x) {
  case sup_errc::none:
    return "none";
  case sup_errc::shutdown:
    return "shutdown";
  case sup_errc::killed:
    return "killed";
  case sup_errc::already_present:
    return "already_present";
  case sup_errc::already_started:
    return "already_started";
  case sup_errc::running:
    return "running";
  case sup_errc::restarting:
    return "restarting";
  case sup_errc::not_found:
    return "not_found";
  case sup_errc::simple_one_for_one:
    return "simple_one_for_one";
  case sup_errc::bad_start_spec:
    return "bad_start_spec";
  case sup_errc::invalid_start_result:
    return "invalid_start_result";
  case sup_errc::start_exception:
    return "start_exception";
  }
  return "sup_errc(" + std::to_string(static_cast<int>(x)) + ")";
}

bool is_shutdown_exit(const caf::error& reason) {
  return reason == caf::exit_reason::user_shutdown || reason == sup_errc::shutdown;
}

bool is_normal_exit(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::normal || is_shutdown_exit(reason);
}

void add_error_category(caf::actor_system_config& cfg) {
  // CAF 0.17.6's add_error_category<T> does not compile; give the renderer.
  cfg.add_error_category(caf::atom("supervisor"),
                         [](uint8_t code, caf::atom_value, const caf::message& ctx) {
                           auto out = "supervisor: " + to_string(static_cast<sup_errc>(code));
                           if (!ctx.empty())
                             out += " " + caf::to_string(ctx);
                           return out;
                         });
}

caf::error shutdown_reason(std::string why) {
  return caf::make_error(sup_errc::shutdown, std::move(why));
}

} // namespace cafmcp::supervision
