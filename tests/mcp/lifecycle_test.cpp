// The initialize handshake and version negotiation, ping, and requests
// before initialize (checklist §2 "Lifecycle", §3 "Server capabilities").
#include "support.hpp"

using test::fixture;

TEST_SUITE("checklist 2 - lifecycle") {

  TEST_CASE_FIXTURE(fixture, "initialize echoes 2025-11-25 with capabilities, serverInfo and "
                             "instructions") {
    config->info.name = "cafmcp-test";
    config->info.title = "Test server";
    config->info.version = "9.9";
    config->info.description = "a server under test";
    config->instructions = "Use the tools.";
    add_text_tool("echo", "hi");
    auto c = connect();
    auto result = c.initialize("2025-11-25");
    CHECK(result["protocolVersion"] == "2025-11-25");
    CHECK(result["serverInfo"] == json{{"name", "cafmcp-test"},
                                       {"title", "Test server"},
                                       {"version", "9.9"},
                                       {"description", "a server under test"}});
    CHECK(result["instructions"] == "Use the tools.");
    const auto& caps = result["capabilities"];
    CHECK(caps["tools"] == json{{"listChanged", true}});
    CHECK(caps["logging"] == json::object());
    CHECK(caps["completions"] == json::object());
    // Nothing registered or declared for these.
    CHECK_FALSE(caps.contains("prompts"));
    CHECK_FALSE(caps.contains("resources"));
  }

  TEST_CASE_FIXTURE(fixture, "initialize echoes a supported older version: 2024-11-05") {
    config->info.title = "Titled";
    auto c = connect();
    auto result = c.initialize("2024-11-05");
    CHECK(result["protocolVersion"] == "2024-11-05");
    // 2024-11-05 had no titles and no completions capability.
    CHECK_FALSE(result["serverInfo"].contains("title"));
    CHECK_FALSE(result["capabilities"].contains("completions"));
  }

  TEST_CASE_FIXTURE(fixture, "initialize echoes 2025-06-18 and 2025-03-26") {
    for (std::string v : {"2025-06-18", "2025-03-26"}) {
      auto c = connect();
      CHECK(c.initialize(v)["protocolVersion"] == v);
    }
  }

  TEST_CASE_FIXTURE(fixture, "an unknown version is answered with the latest, not an error") {
    auto c = connect();
    CHECK(c.initialize("1999-01-01")["protocolVersion"] == "2025-11-25");
  }

  TEST_CASE_FIXTURE(fixture, "an operator-pinned version list negotiates within it") {
    config->options.versions = {cafmcp::protocol::protocol_version::v2025_06_18};
    auto c = connect();
    CHECK(c.initialize("2025-11-25")["protocolVersion"] == "2025-06-18");
  }

  TEST_CASE_FIXTURE(fixture, "declared capabilities appear before anything is registered") {
    features().declare(mcp::feature_kind::prompts);
    features().declare(mcp::feature_kind::resources);
    auto c = connect();
    auto caps = c.initialize()["capabilities"];
    CHECK(caps["prompts"] == json{{"listChanged", true}});
    CHECK(caps["resources"] == json{{"subscribe", true}, {"listChanged", true}});
  }

  TEST_CASE_FIXTURE(fixture, "requests before initialize are rejected with -32600") {
    auto c = connect();
    auto err = c.call_error("tools/list");
    CHECK(err["code"] == -32600);
    CHECK(err["data"]["reason"] == "not_initialized");
  }

  TEST_CASE_FIXTURE(fixture, "ping works before initialize, during and after") {
    auto c = connect();
    CHECK(c.call("ping") == json::object());
    c.call("initialize", {{"protocolVersion", "2025-11-25"}, {"capabilities", json::object()}});
    CHECK(c.call("ping") == json::object()); // between initialize and initialized
    c.notify("notifications/initialized");
    CHECK(c.call("ping") == json::object());
  }

  TEST_CASE_FIXTURE(fixture, "requests between the initialize response and initialized are "
                             "served") {
    add_text_tool("echo", "hi");
    auto c = connect();
    c.call("initialize", {{"protocolVersion", "2025-11-25"}, {"capabilities", json::object()}});
    CHECK(c.call("tools/list")["tools"].size() == 1);
  }

  TEST_CASE_FIXTURE(fixture, "a second initialize is rejected with -32600") {
    auto c = connect();
    c.initialize();
    auto err = c.call_error("initialize",
                            {{"protocolVersion", "2025-11-25"}, {"capabilities", json::object()}});
    CHECK(err["code"] == -32600);
    CHECK(err["data"]["reason"] == "already_initialized");
  }

  TEST_CASE_FIXTURE(fixture, "invalid initialize params are -32602 and the client may retry") {
    auto c = connect();
    CHECK(c.call_error("initialize", {{"capabilities", json::object()}})["code"] == -32602);
    CHECK(c.call_error("initialize", {{"protocolVersion", 20251125}})["code"] == -32602);
    CHECK(c.initialize()["protocolVersion"] == "2025-11-25");
  }

  TEST_CASE_FIXTURE(fixture, "session_close ends the session") {
    auto c = connect();
    c.initialize();
    caf::scoped_actor self{sys};
    self->monitor(c.server());
    caf::anon_send(c.server(), mcp::session_close_atom::value);
    bool down = false;
    self->receive([&](caf::down_msg& dm) { down = !dm.reason; },
                  caf::after(test::deadline) >> [] {});
    CHECK(down);
  }

  TEST_CASE_FIXTURE(fixture, "the session ends when its sink (the transport) goes away") {
    auto c = connect();
    c.initialize();
    caf::scoped_actor self{sys};
    self->monitor(c.server());
    caf::anon_send_exit(c.sink(), caf::exit_reason::kill);
    bool down = false;
    self->receive([&](caf::down_msg&) { down = true; }, caf::after(test::deadline) >> [] {});
    CHECK(down);
  }

  TEST_CASE_FIXTURE(fixture, "liveness pings: answered ones continue, an unanswered one ends the "
                             "session") {
    config->options.ping_interval = std::chrono::milliseconds{10};
    config->options.ping_timeout = std::chrono::milliseconds{100};
    auto c = connect();
    c.initialize();
    auto first = c.wait(test::method_is("ping"));
    REQUIRE(first);
    CHECK(first->related.empty());
    c.respond(first->msg["id"], json::object());
    auto second = c.wait([&](const test::out_msg& m) {
      return m.msg.value("method", "") == "ping" && m.msg["id"] != first->msg["id"];
    });
    REQUIRE(second);
    // Not answered: the session ends and says why.
    auto reason = c.log().wait_closed();
    REQUIRE(reason);
    CHECK(test::errc_name(*reason) == "request_timeout");
    caf::scoped_actor self{sys};
    self->monitor(c.server());
    bool down = false;
    self->receive([&](caf::down_msg&) { down = true; }, caf::after(test::deadline) >> [] {});
    CHECK(down);
  }

  TEST_CASE_FIXTURE(fixture, "no liveness pings unless configured") {
    auto c = connect();
    c.initialize();
    c.barrier();
    CHECK_FALSE(c.wait(test::method_is("ping"), 0, test::settle));
  }
}
