#include "cafmcp/registry/registry_error.hpp"

namespace cafmcp::registry {

std::string to_string(registry_errc code) {
  switch (code) {
  case registry_errc::not_found:
    return "not_found";
  case registry_errc::already_registered:
    return "already_registered";
  case registry_errc::invalid_argument:
    return "invalid_argument";
  case registry_errc::no_healthy_pool:
    return "no_healthy_pool";
  case registry_errc::registry_unavailable:
    return "registry_unavailable";
  case registry_errc::client_overloaded:
    return "client_overloaded";
  }
  return "unknown_registry_error";
}

void add_registry_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(registry_error_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& context) {
                           auto result = "registry: " + to_string(static_cast<registry_errc>(code));
                           if (!context.empty())
                             result += " (" + to_string(context) + ")";
                           return result;
                         });
}

bool is(const caf::error& err, registry_errc code) {
  return err && err.category() == registry_error_category &&
         err.code() == static_cast<std::uint8_t>(code);
}

} // namespace cafmcp::registry
