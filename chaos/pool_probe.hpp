#pragma once
// "First successful request through the restarted pool", measured actively:
// a pool serves only the sessions placed on it, and the load's displaced
// sessions may all land elsewhere. So the probe opens fresh sessions until
// one is placed on the pool (learnt from the echo tool's answer), and calls
// through it.

#include <functional>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "cafmcp/chaos/load.hpp"

namespace cafmcp::chaos {

struct pool_probe_times {
  std::optional<steady::time_point> registered; // a new session was placed on the pool
  std::optional<steady::time_point> serving;    // a call through it succeeded
};

pool_probe_times
probe_pool(caf::actor_system& sys, transports::io_runner& io, const endpoint& ep, std::size_t pool,
           const std::function<std::optional<std::size_t>(const std::string&)>& pool_of,
           const std::string& tool, steady::time_point deadline);

} // namespace cafmcp::chaos
