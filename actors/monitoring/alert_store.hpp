#pragma once
// The alerts simple_monitor evaluates, kept one level up so that they survive
// the monitor's restart and can be read from any thread (admin, dashboard).

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cafmcp::monitoring {

struct alert {
  std::string
      name; // pool_restart_rate, registry_recovery_slow, cascading_failure, availability_low
  std::string message; // what was seen, with the figures
  int64_t since_ns = 0;
  bool active = false;
  uint64_t fired = 0; // how often it became active
};

class alert_store {
public:
  // Raises or refreshes `name`; true when it was not active before.
  bool raise(const std::string& name, std::string message, int64_t now_ns);
  // Clears `name`; true when it was active.
  bool clear(const std::string& name);
  std::vector<alert> all() const;
  std::vector<alert> active() const;

private:
  mutable std::mutex mtx_;
  std::map<std::string, alert> alerts_;
};

} // namespace cafmcp::monitoring
