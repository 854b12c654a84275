#include "cafmcp/app/config/config_error.hpp"

namespace cafmcp::app {

std::string to_string(const config_error& x) {
  if (x.key.empty())
    return x.message;
  return x.key + ": " + x.message;
}

std::string to_string(const std::vector<config_error>& xs) {
  std::string result;
  for (const auto& x : xs) {
    result += to_string(x);
    result += '\n';
  }
  return result;
}

} // namespace cafmcp::app
