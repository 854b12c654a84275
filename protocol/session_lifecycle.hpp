#pragma once

// The MCP lifecycle of one session as a pure state machine (checklist §2).
// The server actor asks it, for every inbound message, whether to process,
// reject (with the error to send) or silently ignore it, and, for every
// outbound message, whether it may be sent yet.
//
//   pre_initialize --initialize--> initializing --notifications/initialized--> initialized
//         ^                             |
//         +------ initialize_failed() --+          any state --close()--> closed
//
// Inbound rules and why:
// * initialize is accepted once, as the first request; a second one gets
//   -32600 "Server already initialized" (reason "already_initialized"), as the
//   TypeScript SDK's Streamable HTTP transport answers. If the server rejects
//   its params it calls initialize_failed() and the client may try again.
// * ping is processed in every state but closed ("ping must work at any time").
// * Before initialize, any other request gets -32600 "Server not initialized"
//   (reason "not_initialized"); the TypeScript SDK's HTTP transport refuses
//   such requests the same way (400, "Server not initialized").
// * Between the initialize response and notifications/initialized, requests
//   are processed. The spec only asks the client to wait for the initialize
//   *response* ("SHOULD NOT send requests other than pings before the server
//   has responded"), and the TypeScript SDK server does not gate on the
//   notification. Gating would also break correct clients on Streamable HTTP,
//   where the notification and the first request are separate POSTs that may
//   arrive in either order.
// * Notifications are ignored before initialize (nothing to act on), and a
//   repeated notifications/initialized is ignored. Receivers never reply to
//   notifications, so "reject" is never the verdict for one.
// * Responses to our own requests are processed in every state but closed.
// * initialize cannot be cancelled: is_initialize_request() lets the server
//   drop notifications/cancelled that names it.
//
// Outbound rules: before notifications/initialized the server sends only ping
// requests and notifications/message (logging); afterwards anything (whether
// the client declared the matching capability is the server's check). Nothing
// at all once closed.

#include "cafmcp/protocol/message_id.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

#include <optional>
#include <string_view>

namespace cafmcp::protocol {

enum class lifecycle_state {
  pre_initialize, // nothing but ping has been accepted yet
  initializing,   // initialize accepted; waiting for notifications/initialized
  initialized,    // normal operation
  closed,         // transport gone or session terminated; terminal
};

std::string_view to_string(lifecycle_state s) noexcept;

enum class inbound_action {
  process, // hand it to the handler
  reject,  // reply with inbound_verdict::error (requests only)
  ignore,  // drop it without a reply
};

struct inbound_verdict {
  inbound_action action = inbound_action::process;
  std::optional<rpc_error> error; // set exactly when action == reject
};

class session_lifecycle {
public:
  lifecycle_state state() const noexcept { return state_; }

  // A request from the peer. Accepting initialize moves to `initializing`.
  inbound_verdict on_request(const message_id& id, std::string_view method);

  // A notification from the peer. notifications/initialized in
  // `initializing` moves to `initialized`.
  inbound_verdict on_notification(std::string_view method);

  // A response or error response to one of our requests.
  inbound_verdict on_response() const;

  // The server refused the accepted initialize (e.g. invalid params): back to
  // pre_initialize so the client can retry. No effect in other states.
  void initialize_failed() noexcept;

  // True for the id of the accepted initialize request.
  bool is_initialize_request(const message_id& id) const;

  bool may_send_request(std::string_view method) const noexcept;
  bool may_send_notification(std::string_view method) const noexcept;
  bool may_send_response() const noexcept { return state_ != lifecycle_state::closed; }

  void close() noexcept { state_ = lifecycle_state::closed; }

private:
  lifecycle_state state_ = lifecycle_state::pre_initialize;
  std::optional<message_id> initialize_id_;
};

} // namespace cafmcp::protocol
