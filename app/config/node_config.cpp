#include "cafmcp/app/config/node_config.hpp"

namespace cafmcp::app {

std::string_view to_string(restart_strategy x) {
  switch (x) {
  case restart_strategy::one_for_one:
    return "one_for_one";
  case restart_strategy::one_for_all:
    return "one_for_all";
  case restart_strategy::rest_for_one:
    return "rest_for_one";
  case restart_strategy::simple_one_for_one:
    return "simple_one_for_one";
  }
  return "?";
}

namespace {

// The tables in the header are the single spelling of these enums.
template <class Enum, std::size_t N>
std::string_view name_of(const std::array<enum_name<Enum>, N>& names, Enum x) {
  for (const auto& entry : names)
    if (entry.value == x)
      return entry.name;
  return "?";
}

} // namespace

std::string_view to_string(node_profile x) {
  return name_of(profile_names, x);
}

std::string_view to_string(log_level x) {
  return name_of(log_level_names, x);
}

} // namespace cafmcp::app
