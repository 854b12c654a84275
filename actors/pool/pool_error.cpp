#include "cafmcp/actors/pool/pool_error.hpp"

#include <caf/message.hpp>

namespace cafmcp::pool {

std::string to_string(pool_errc x) {
  switch (x) {
  case pool_errc::none:
    return "none";
  case pool_errc::at_capacity:
    return "at_capacity";
  case pool_errc::not_ready:
    return "not_ready";
  case pool_errc::unknown_session:
    return "unknown_session";
  }
  return "?";
}

void add_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(caf::atom("pool"),
                         [](uint8_t code, caf::atom_value, const caf::message& ctx) {
                           auto out = "pool: " + to_string(static_cast<pool_errc>(code));
                           if (!ctx.empty())
                             out += " " + caf::to_string(ctx);
                           return out;
                         });
}

} // namespace cafmcp::pool
