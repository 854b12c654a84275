#pragma once
// The supervisor's message vocabulary: OTP's child API as CAF requests, and the
// values they answer with. The blocking C++ facade in supervisor_api.hpp wraps
// these for code that is not an actor.
//
//   request                                   answer
//   (start_child_atom, child_spec)            start_child_result | error
//   (start_child_atom, caf::message args)     start_child_result | error   (simple_one_for_one)
//   (terminate_child_atom, std::string id)    ok_atom | error
//   (terminate_child_atom, caf::actor child)  ok_atom | error              (simple_one_for_one)
//   (restart_child_atom, std::string id)      start_child_result | error
//   (delete_child_atom, std::string id)       ok_atom | error
//   (which_children_atom)                     std::vector<child_info>
//   (count_children_atom)                     child_counts
//   (get_childspec_atom, std::string id)      child_spec | error
//   (get_childspec_atom, caf::actor child)    child_spec | error
//   (supervisor_ready_atom)                   ok_atom, once every child started

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::supervision {

using start_child_atom = caf::atom_constant<caf::atom("s_start")>;
using terminate_child_atom = caf::atom_constant<caf::atom("s_term")>;
using restart_child_atom = caf::atom_constant<caf::atom("s_restart")>;
using delete_child_atom = caf::atom_constant<caf::atom("s_delete")>;
using which_children_atom = caf::atom_constant<caf::atom("s_which")>;
using count_children_atom = caf::atom_constant<caf::atom("s_count")>;
using get_childspec_atom = caf::atom_constant<caf::atom("s_getspec")>;
using supervisor_ready_atom = caf::atom_constant<caf::atom("s_ready")>;

// A started child; an invalid handle when the start function said ignore.
struct start_child_result {
  caf::actor child;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_child_result& x) {
  return f(caf::meta::type_name("start_child_result"), x.child);
}

enum class child_status : uint8_t {
  running,
  restarting, // a restart failed and is being retried
  undefined,  // not running: terminated, ended normally (transient) or ignored
};

// One row of which_children: OTP's {Id, Child, Type, Modules}.
struct child_info {
  std::string id; // empty for simple_one_for_one children
  caf::actor child;
  child_status status = child_status::undefined;
  child_type type = child_type::worker;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_info& x) {
  return f(caf::meta::type_name("child_info"), x.id, x.child, x.status, x.type);
}

// OTP's count_children: [{specs,N},{active,N},{supervisors,N},{workers,N}].
struct child_counts {
  uint64_t specs = 0;
  uint64_t active = 0;
  uint64_t supervisors = 0;
  uint64_t workers = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_counts& x) {
  return f(caf::meta::type_name("child_counts"), x.specs, x.active, x.supervisors, x.workers);
}

std::string to_string(child_status x);

} // namespace cafmcp::supervision
