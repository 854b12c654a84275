#pragma once
// An in-process MCP client for many sessions at once: the sink of every
// session it opens through the node's broker (transport_kind::in_process),
// initializing each one. Used by routing_bench (route lookup + ping round
// trips) and recovery_bench (replacement of killed sessions).
//
//   (bn_open_atom, size_t n)      -> size_t ready   opens n more sessions, answers once all
//                                                   of this driver's sessions are ready
//   (bn_run_atom, caf::timespan d) -> uint64_t ops   every ready session loops: registry
//                                                   table lookup of its id, ping to the server
//                                                   found, answer back here; ops done in d
//   (bn_expect_atom, size_t pool) -> size_t n        marks the ready sessions living in `pool`
//                                                   as expected to die and be replaced
//   (bn_expect1_atom)             -> caf::actor      marks one session, returns its server
//   (bn_wait_atom)                -> size_t n        answers once every marked session is
//                                                   open and initialized again
//
// A session whose server goes down (pool killed, server killed) is reopened
// and re-initialized at once, like a re-initializing client.

#include <cstddef>
#include <functional>
#include <memory>

#include <caf/all.hpp>

#include "cafmcp/registry/registry_table.hpp"

namespace bench {

using bn_open_atom = caf::atom_constant<caf::atom("bn_open")>;
using bn_run_atom = caf::atom_constant<caf::atom("bn_run")>;
using bn_stop_atom = caf::atom_constant<caf::atom("bn_stop")>;
using bn_expect_atom = caf::atom_constant<caf::atom("bn_expect")>;
using bn_expect1_atom = caf::atom_constant<caf::atom("bn_expect1")>;
using bn_wait_atom = caf::atom_constant<caf::atom("bn_wait")>;
using bn_reopen_atom = caf::atom_constant<caf::atom("bn_reopen")>;

struct driver_wiring {
  std::function<caf::actor()> broker; // the current session broker
  std::shared_ptr<cafmcp::registry::registry_table> routes;
};

caf::actor spawn_session_driver(caf::actor_system& sys, driver_wiring wiring);

} // namespace bench
