// The resource subscription service's message vocabulary (resources/subscribe,
// resources/unsubscribe, notifications/resources/updated). Atom texts are global in CAF, so
// ours carry an "rs_" prefix.
//
//   (rs_sub_atom, std::string uri, std::string session_id, caf::actor subscriber)
//       -> caf::ok_atom. Subscribing again is fine (the latest subscriber actor wins).
//       errors: invalid_argument (empty uri or session id, invalid subscriber),
//               at_capacity (max_per_session subscriptions of that session).
//   (rs_unsub_atom, std::string uri, std::string session_id)  -> caf::ok_atom | not_found
//   (rs_drop_atom, std::string session_id)  -> std::size_t (subscriptions removed; the session
//                                              ended)
//   (rs_notify_atom, std::string uri)       -> std::size_t (subscriptions notified); a
//                                              fire-and-forget send is fine as well
//   (rs_list_atom, std::string uri)         -> std::vector<std::string> (subscribed sessions)
//   (rs_count_atom)                         -> std::size_t (all subscriptions)
//
// Each subscription of `uri` gets (rs_updated_atom, std::string uri, std::string session_id) at
// its subscriber actor, which sends notifications/resources/updated to its client. URIs match
// exactly. A subscriber that dies loses all its subscriptions.
#pragma once

#include <caf/atom.hpp>

namespace cafmcp::services {

using rs_sub_atom = caf::atom_constant<caf::atom("rs_sub")>;
using rs_unsub_atom = caf::atom_constant<caf::atom("rs_unsub")>;
using rs_drop_atom = caf::atom_constant<caf::atom("rs_drop")>;
using rs_notify_atom = caf::atom_constant<caf::atom("rs_notify")>;
using rs_list_atom = caf::atom_constant<caf::atom("rs_list")>;
using rs_count_atom = caf::atom_constant<caf::atom("rs_count")>;
using rs_updated_atom = caf::atom_constant<caf::atom("rs_updated")>;

} // namespace cafmcp::services
