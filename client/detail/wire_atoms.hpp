// Internal messages of the client actor: wire events, timers, late answers
// of server->client requests.
#pragma once

#include <caf/atom.hpp>

namespace cafmcp::client::detail {

// (wire_msg_atom, epoch, text)
using wire_msg_atom = caf::atom_constant<caf::atom("mcpc_wmsg")>;
// (wire_fail_atom, epoch, tag, uint8 client_errc, detail, int32 http_status)
using wire_fail_atom = caf::atom_constant<caf::atom("mcpc_wfail")>;
// (wire_down_atom, epoch, uint8 client_errc, detail)
using wire_down_atom = caf::atom_constant<caf::atom("mcpc_wdown")>;
// (timeout_atom, request id)
using timeout_atom = caf::atom_constant<caf::atom("mcpc_tmo")>;
// (wire_sid_atom, epoch, session id)
using wire_sid_atom = caf::atom_constant<caf::atom("mcpc_wsid")>;
// (reply_atom, epoch, encoded JSON-RPC response)
using reply_atom = caf::atom_constant<caf::atom("mcpc_reply")>;

} // namespace cafmcp::client::detail
