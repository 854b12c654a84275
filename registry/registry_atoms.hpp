// The registry's message vocabulary. Atom texts are global in CAF (the same text is the same type
// in every namespace), so ours carry a "reg_" prefix to stay clear of other layers' atoms.
//
//   (reg_add_atom, std::string id, caf::actor server, std::size_t pool) -> caf::ok_atom
//       errors: already_registered (id taken by another server), invalid_argument.
//       Registering the same id for the same server again is ok (safe to retry).
//   (reg_del_atom, std::string id)            -> caf::ok_atom; error not_found
//   (reg_find_atom, std::string id)           -> caf::actor;   error not_found
//   (reg_count_atom)                          -> std::size_t (all routes)
//   (reg_count_atom, std::size_t pool)        -> std::size_t (routes of one pool)
#pragma once

#include <caf/atom.hpp>

namespace cafmcp::registry {

using reg_add_atom = caf::atom_constant<caf::atom("reg_add")>;
using reg_del_atom = caf::atom_constant<caf::atom("reg_del")>;
using reg_find_atom = caf::atom_constant<caf::atom("reg_find")>;
using reg_count_atom = caf::atom_constant<caf::atom("reg_count")>;

} // namespace cafmcp::registry
