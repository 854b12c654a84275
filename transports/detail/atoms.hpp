#pragma once
// Atoms of the transport layer's internal messages (all "tr_" prefixed).

#include <memory>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "cafmcp/transports/ports.hpp"

namespace cafmcp::transports::detail {

// connection -> session actor
using in_atom = caf::atom_constant<caf::atom("tr_in")>;         // (std::string json)
using too_large_atom = caf::atom_constant<caf::atom("tr_big")>; // (uint64_t size)
using eof_atom = caf::atom_constant<caf::atom("tr_eof")>;       // input ended, output open
using gone_atom = caf::atom_constant<caf::atom("tr_gone")>;     // connection closed
using grace_atom = caf::atom_constant<caf::atom("tr_grace")>;   // eof grace period over
using lkeep_atom = caf::atom_constant<caf::atom("tr_lkeep")>;   // legacy SSE keepalive tick
// Streamable HTTP router -> http session actor
using hpost_atom = caf::atom_constant<caf::atom("tr_hpost")>; // (exchange_ref, body, id)
using hmsg_atom = caf::atom_constant<caf::atom("tr_hmsg")>;   // (body) notification/response
using hget_atom = caf::atom_constant<caf::atom("tr_hget")>;   // (exchange_ref, last_event_id)
using hdel_atom = caf::atom_constant<caf::atom("tr_hdel")>;   // (exchange_ref)
using hgone_atom = caf::atom_constant<caf::atom("tr_hgone")>; // (uint64_t exchange id)
// http session actor -> itself
using hpoll_atom = caf::atom_constant<caf::atom("tr_hpoll")>; // (uint64_t stream) poll time
using hkeep_atom = caf::atom_constant<caf::atom("tr_hkeep")>; // keepalive tick

/// An HTTP exchange handed to a session actor. It holds a live connection, so
/// it can never cross nodes: whitelisted rather than inspected.
struct exchange_ref {
  std::shared_ptr<http_stream_port> port;
};

} // namespace cafmcp::transports::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::transports::detail::exchange_ref)
