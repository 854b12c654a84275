#pragma once
// An OTP supervisor as a CAF actor. See ../../README.md ("Supervision") for the
// rules it follows and where CAF 0.17 makes it differ from OTP.
//
// A supervisor monitors its children instead of linking them: in CAF 0.17 a
// kill travels through links unconditionally, so a child killed from outside
// would take a linked supervisor with it. Its own death, even by kill, still
// takes the children down: a functor attached to it sends them an exit.

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <caf/group.hpp>

#include "cafmcp/actors/supervision/child_spec.hpp"
#include "cafmcp/actors/supervision/supervisor_flags.hpp"

namespace cafmcp::supervision {

struct supervisor_config {
  std::string name; // in every report, e.g. "pool_3"
  supervisor_flags flags;
  std::vector<child_spec> children; // start order; exactly one for simple_one_for_one
  caf::group reports;               // where reports go; default: report_group(system)
};

// The event stream every supervisor publishes its reports on unless told
// otherwise: join it to receive supervisor_report messages.
caf::group report_group(caf::actor_system& sys);

// Validates flags and specs as OTP's check_childspecs does; an empty error
// when they are fine.
caf::error check_childspecs(const std::vector<child_spec>& specs, const supervisor_flags& flags);

// Spawns a supervisor. It starts its children asynchronously; ask it
// supervisor_ready_atom (or use start_supervisor in supervisor_api.hpp) to
// learn when they all run, or why it failed.
caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_config cfg);
caf::actor spawn_supervisor(caf::local_actor* parent, supervisor_config cfg);

// A child spec that runs a supervisor under another supervisor
// (type supervisor, shutdown infinity, started once all its children run).
child_spec supervisor_child(std::string id, supervisor_config cfg,
                            restart_type restart = restart_type::permanent);

} // namespace cafmcp::supervision
