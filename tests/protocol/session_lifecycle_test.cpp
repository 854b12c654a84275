// The per-session lifecycle state machine (checklist §2 "Lifecycle":
// initialize first and once, ping any time, what the server may send before
// notifications/initialized, initialize cannot be cancelled).
#include <doctest/doctest.h>

#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/method_names.hpp"
#include "cafmcp/protocol/session_lifecycle.hpp"

using namespace cafmcp::protocol;

namespace {

std::string reason_of(const inbound_verdict& v) {
  REQUIRE(v.action == inbound_action::reject);
  REQUIRE(v.error.has_value());
  return v.error->data->at("reason").get<std::string>();
}

session_lifecycle initialized_session() {
  session_lifecycle s;
  REQUIRE(s.on_request(message_id{1}, method::initialize).action == inbound_action::process);
  REQUIRE(s.on_notification(method::notify_initialized).action == inbound_action::process);
  REQUIRE(s.state() == lifecycle_state::initialized);
  return s;
}

} // namespace

TEST_SUITE("checklist 2 - lifecycle") {

  TEST_CASE("a new session waits for initialize") {
    session_lifecycle s;
    CHECK(s.state() == lifecycle_state::pre_initialize);
  }

  TEST_CASE("initialize as the first request is processed and starts initializing") {
    session_lifecycle s;
    auto v = s.on_request(message_id{1}, method::initialize);
    CHECK(v.action == inbound_action::process);
    CHECK_FALSE(v.error.has_value());
    CHECK(s.state() == lifecycle_state::initializing);
  }

  TEST_CASE("notifications/initialized completes the handshake") {
    session_lifecycle s;
    (void)s.on_request(message_id{1}, method::initialize);
    CHECK(s.on_notification(method::notify_initialized).action == inbound_action::process);
    CHECK(s.state() == lifecycle_state::initialized);
  }

  TEST_CASE("a second initialize is rejected with -32600 in every later state") {
    session_lifecycle s;
    (void)s.on_request(message_id{1}, method::initialize);
    auto during = s.on_request(message_id{2}, method::initialize);
    CHECK(reason_of(during) == "already_initialized");
    CHECK(during.error->code == error_code::invalid_request);
    (void)s.on_notification(method::notify_initialized);
    CHECK(reason_of(s.on_request(message_id{3}, method::initialize)) == "already_initialized");
    CHECK(s.state() == lifecycle_state::initialized);
  }

  TEST_CASE("ping is processed before during and after initialization") {
    session_lifecycle s;
    CHECK(s.on_request(message_id{1}, method::ping).action == inbound_action::process);
    CHECK(s.state() == lifecycle_state::pre_initialize); // ping does not start anything
    (void)s.on_request(message_id{2}, method::initialize);
    CHECK(s.on_request(message_id{3}, method::ping).action == inbound_action::process);
    (void)s.on_notification(method::notify_initialized);
    CHECK(s.on_request(message_id{4}, method::ping).action == inbound_action::process);
  }

  TEST_CASE("other requests before initialize are rejected as not initialized") {
    session_lifecycle s;
    auto v = s.on_request(message_id{1}, method::tools_list);
    CHECK(reason_of(v) == "not_initialized");
    CHECK(v.error->code == error_code::invalid_request);
    CHECK(s.state() == lifecycle_state::pre_initialize);
  }

  TEST_CASE("requests after the initialize response but before initialized are processed") {
    // As the TypeScript SDK does; on Streamable HTTP the notification and the
    // first request are separate POSTs and may arrive in either order.
    session_lifecycle s;
    (void)s.on_request(message_id{1}, method::initialize);
    CHECK(s.on_request(message_id{2}, method::tools_list).action == inbound_action::process);
    CHECK(s.state() == lifecycle_state::initializing);
  }

  TEST_CASE("notifications before initialize are ignored, never answered") {
    session_lifecycle s;
    CHECK(s.on_notification(method::notify_initialized).action == inbound_action::ignore);
    CHECK(s.on_notification(method::notify_cancelled).action == inbound_action::ignore);
    CHECK(s.state() == lifecycle_state::pre_initialize);
  }

  TEST_CASE("a repeated notifications/initialized is ignored") {
    auto s = initialized_session();
    CHECK(s.on_notification(method::notify_initialized).action == inbound_action::ignore);
    CHECK(s.state() == lifecycle_state::initialized);
  }

  TEST_CASE("after initialization any request and notification is processed") {
    auto s = initialized_session();
    CHECK(s.on_request(message_id{9}, method::tools_call).action == inbound_action::process);
    CHECK(s.on_request(message_id{10}, "no/such/method").action == inbound_action::process);
    CHECK(s.on_notification(method::notify_cancelled).action == inbound_action::process);
    CHECK(s.on_response().action == inbound_action::process);
  }

  TEST_CASE("a failed initialize lets the client try again") {
    session_lifecycle s;
    (void)s.on_request(message_id{1}, method::initialize);
    s.initialize_failed();
    CHECK(s.state() == lifecycle_state::pre_initialize);
    CHECK_FALSE(s.is_initialize_request(message_id{1}));
    CHECK(s.on_request(message_id{2}, method::initialize).action == inbound_action::process);
  }

  TEST_CASE("initialize_failed after initialization changes nothing") {
    auto s = initialized_session();
    s.initialize_failed();
    CHECK(s.state() == lifecycle_state::initialized);
  }

  TEST_CASE("the initialize request is recognised so that its cancellation can be ignored") {
    session_lifecycle s;
    (void)s.on_request(message_id{"init"}, method::initialize);
    CHECK(s.is_initialize_request(message_id{"init"}));
    CHECK_FALSE(s.is_initialize_request(message_id{2}));
  }

  TEST_CASE("before initialized the server may send only ping requests and log notifications") {
    session_lifecycle s;
    for (int step = 0; step < 2; ++step) {
      CAPTURE(to_string(s.state()));
      CHECK(s.may_send_request(method::ping));
      CHECK_FALSE(s.may_send_request(method::sampling_create_message));
      CHECK_FALSE(s.may_send_request(method::elicitation_create));
      CHECK_FALSE(s.may_send_request(method::roots_list));
      CHECK(s.may_send_notification(method::notify_message));
      CHECK_FALSE(s.may_send_notification(method::notify_tools_list_changed));
      CHECK(s.may_send_response());
      (void)s.on_request(message_id{1}, method::initialize);
    }
  }

  TEST_CASE("after initialized the server may send any request or notification") {
    auto s = initialized_session();
    CHECK(s.may_send_request(method::sampling_create_message));
    CHECK(s.may_send_notification(method::notify_resources_updated));
  }

  TEST_CASE("a closed session processes and sends nothing") {
    auto s = initialized_session();
    s.close();
    CHECK(s.state() == lifecycle_state::closed);
    CHECK(s.on_request(message_id{5}, method::ping).action == inbound_action::ignore);
    CHECK(s.on_request(message_id{6}, method::initialize).action == inbound_action::ignore);
    CHECK(s.on_notification(method::notify_cancelled).action == inbound_action::ignore);
    CHECK(s.on_response().action == inbound_action::ignore);
    CHECK_FALSE(s.may_send_request(method::ping));
    CHECK_FALSE(s.may_send_notification(method::notify_message));
    CHECK_FALSE(s.may_send_response());
  }

} // TEST_SUITE
