// The child spec every service uses: a permanent worker whose start function spawns the
// service with the same arguments each time, so every incarnation gets the same store.
#pragma once

#include <string>
#include <utility>

#include <caf/local_actor.hpp>

#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

// `fun` is a behavior function such as session_manager; `args` are copied into the start
// function (shared_ptrs to stores, settings) and passed to every spawn.
template <class Fun, class... Args>
supervision::child_spec service_spec(std::string id, Fun fun, Args... args) {
  supervision::child_spec spec;
  spec.id = std::move(id);
  spec.restart = supervision::restart_type::permanent;
  spec.type = supervision::child_type::worker;
  spec.start =
      [fun, args...](supervision::start_context& ctx) -> caf::expected<supervision::start_result> {
    // start_ack::initialized: the supervisor reports child_started once the behavior factory
    // has run, i.e. once the service took over its store and re-monitored its peers.
    return supervision::start_result{ctx.self->spawn(fun, args...)};
  };
  return spec;
}

} // namespace cafmcp::services
