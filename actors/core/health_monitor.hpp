#pragma once
// health_monitor: checks every failure domain on an interval, each check bound
// by a timeout, and keeps the current status. A domain is a direct child of the
// root supervisor; a supervisor domain is asked to count its children (which it
// answers only from its mailbox, so a stuck or restarting domain shows), and
// the pools under connection_pool_sup are checked one by one.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::core {

enum class health_status : uint8_t {
  unknown,  // not checked yet
  up,       // answered in time, every child running
  degraded, // answered in time, some children not running (restarting, ...)
  down,     // no answer within the timeout, or not running at all
};

std::string to_string(health_status x);

struct domain_health {
  std::string name;
  health_status status = health_status::unknown;
  uint64_t active = 0;
  uint64_t specs = 0;
  int64_t latency_us = 0;
  std::vector<domain_health> parts; // the pools of connection_pool_sup
};

struct health_snapshot {
  health_status overall = health_status::unknown;
  std::vector<domain_health> domains;
  int64_t checked_ns = 0; // steady clock; 0 before the first check
  uint64_t checks = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, domain_health& x) {
  return f(caf::meta::type_name("domain_health"), x.name, x.status, x.active, x.specs, x.latency_us,
           x.parts);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_snapshot& x) {
  return f(caf::meta::type_name("health_snapshot"), x.overall, x.domains, x.checked_ns, x.checks);
}

// The latest snapshot, kept one level up so that it survives the monitor's restart
// and can be read from any thread (the admin endpoint, /health).
class health_store {
public:
  health_snapshot get() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return current_;
  }
  void set(health_snapshot s) {
    std::lock_guard<std::mutex> guard{mtx_};
    current_ = std::move(s);
  }

private:
  mutable std::mutex mtx_;
  health_snapshot current_;
};

// (hm_get_atom) -> health_snapshot
using hm_get_atom = caf::atom_constant<caf::atom("hm_get")>;

struct health_settings {
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{500};
  // The root supervisor is found by this name in CAF's actor registry.
  caf::atom_value root_name = caf::atom("cafmcp_sup");
  std::string pools_parent = "connection_pool_sup";
};

cafmcp::supervision::child_spec health_monitor_spec(std::shared_ptr<health_store> store,
                                                    health_settings settings);

} // namespace cafmcp::core
