#include "cafmcp/protocol/session_lifecycle.hpp"

#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::protocol {

namespace {

inbound_verdict process() {
  return {inbound_action::process, std::nullopt};
}
inbound_verdict ignore() {
  return {inbound_action::ignore, std::nullopt};
}
inbound_verdict reject(rpc_error e) {
  return {inbound_action::reject, std::move(e)};
}

bool before_initialized(lifecycle_state s) noexcept {
  return s == lifecycle_state::pre_initialize || s == lifecycle_state::initializing;
}

} // namespace

std::string_view to_string(lifecycle_state s) noexcept {
  switch (s) {
  case lifecycle_state::pre_initialize:
    return "pre_initialize";
  case lifecycle_state::initializing:
    return "initializing";
  case lifecycle_state::initialized:
    return "initialized";
  case lifecycle_state::closed:
    return "closed";
  }
  return "unknown";
}

inbound_verdict session_lifecycle::on_request(const message_id& id, std::string_view m) {
  if (state_ == lifecycle_state::closed)
    return ignore();
  if (m == method::ping)
    return process();
  if (m == method::initialize) {
    if (state_ != lifecycle_state::pre_initialize)
      return reject(
          invalid_request("Invalid Request: Server already initialized", "already_initialized"));
    state_ = lifecycle_state::initializing;
    initialize_id_ = id;
    return process();
  }
  if (state_ == lifecycle_state::pre_initialize)
    return reject(invalid_request("Invalid Request: Server not initialized", "not_initialized",
                                  {{"method", m}}));
  return process();
}

inbound_verdict session_lifecycle::on_notification(std::string_view m) {
  switch (state_) {
  case lifecycle_state::closed:
  case lifecycle_state::pre_initialize:
    return ignore();
  case lifecycle_state::initializing:
    if (m == method::notify_initialized)
      state_ = lifecycle_state::initialized;
    return process();
  case lifecycle_state::initialized:
    if (m == method::notify_initialized)
      return ignore();
    return process();
  }
  return ignore();
}

inbound_verdict session_lifecycle::on_response() const {
  return state_ == lifecycle_state::closed ? ignore() : process();
}

void session_lifecycle::initialize_failed() noexcept {
  if (state_ != lifecycle_state::initializing)
    return;
  state_ = lifecycle_state::pre_initialize;
  initialize_id_.reset();
}

bool session_lifecycle::is_initialize_request(const message_id& id) const {
  return initialize_id_ && *initialize_id_ == id;
}

bool session_lifecycle::may_send_request(std::string_view m) const noexcept {
  if (state_ == lifecycle_state::closed)
    return false;
  if (before_initialized(state_))
    return m == method::ping;
  return true;
}

bool session_lifecycle::may_send_notification(std::string_view m) const noexcept {
  if (state_ == lifecycle_state::closed)
    return false;
  if (before_initialized(state_))
    return m == method::notify_message;
  return true;
}

} // namespace cafmcp::protocol
