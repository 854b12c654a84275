#pragma once
// A small blocking facade over the supervisor's messages, for code that is not
// an actor (main(), tests, tools). Inside an actor, send the messages of
// supervisor_messages.hpp with request(...).then(...) instead: these calls
// block the calling thread until the supervisor answers.

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"

namespace cafmcp::supervision {

// OTP's start_link: spawns the supervisor and returns once all its children
// run, or returns the reason it failed ({shutdown, failed_to_start_child, ...}
// or bad_start_spec).
caf::expected<caf::actor> start_supervisor(caf::actor_system& sys, supervisor_config cfg);

caf::expected<start_child_result> start_child(caf::actor_system& sys, const caf::actor& sup,
                                              child_spec spec);
// simple_one_for_one: the extra arguments reach the start function as ctx.args.
caf::expected<start_child_result> start_child(caf::actor_system& sys, const caf::actor& sup,
                                              caf::message args);
caf::error terminate_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id);
caf::error terminate_child(caf::actor_system& sys, const caf::actor& sup, const caf::actor& child);
caf::expected<start_child_result> restart_child(caf::actor_system& sys, const caf::actor& sup,
                                                const std::string& id);
caf::error delete_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id);
caf::expected<std::vector<child_info>> which_children(caf::actor_system& sys,
                                                      const caf::actor& sup);
caf::expected<child_counts> count_children(caf::actor_system& sys, const caf::actor& sup);
caf::expected<child_spec> get_childspec(caf::actor_system& sys, const caf::actor& sup,
                                        const std::string& id);

// Stops a supervisor the way its parent would (exit with `reason`, default
// shutdown) and waits until it and its children are gone; returns its exit reason.
caf::error stop_supervisor(caf::actor_system& sys, const caf::actor& sup);

} // namespace cafmcp::supervision
