#pragma once
// Supervisor flags, as in OTP: strategy, restart intensity and period, and
// automatic shutdown on the end of significant children.

#include <chrono>
#include <cstdint>
#include <string>

namespace cafmcp::supervision {

enum class strategy : uint8_t {
  one_for_one,        // restart the dead child only
  one_for_all,        // stop all others, restart all
  rest_for_one,       // stop the ones started after it, restart it and them
  simple_one_for_one, // one spec, children added at run time, all alike
};

enum class auto_shutdown : uint8_t { never, any_significant, all_significant };

struct supervisor_flags {
  // OTP's defaults: one_for_one, at most 1 restart in 5 seconds, never.
  supervision::strategy strategy = supervision::strategy::one_for_one;
  int intensity = 1;
  std::chrono::milliseconds period{5000};
  supervision::auto_shutdown auto_shutdown = supervision::auto_shutdown::never;
};

std::string to_string(strategy x);
std::string to_string(auto_shutdown x);

} // namespace cafmcp::supervision
