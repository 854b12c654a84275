// JSON-RPC framing as the session applies it (checklist §1 "Base protocol").
#include "support.hpp"

using test::fixture;

TEST_SUITE("checklist 1 - base protocol") {

  TEST_CASE_FIXTURE(fixture, "invalid JSON is answered with -32700 and id null") {
    auto c = connect();
    c.send_raw("{not json");
    auto m = c.wait([](const test::out_msg& m) { return m.msg.contains("error"); });
    REQUIRE(m);
    CHECK(m->msg["error"]["code"] == -32700);
    CHECK(m->msg["id"].is_null());
    CHECK(m->related.empty());
  }

  TEST_CASE_FIXTURE(fixture, "a batch array is rejected with -32600") {
    auto c = connect();
    c.send_raw(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
    auto m = c.wait([](const test::out_msg& m) { return m.msg.contains("error"); });
    REQUIRE(m);
    CHECK(m->msg["error"]["code"] == -32600);
    CHECK(m->msg["error"]["data"]["reason"] == "batch_not_supported");
  }

  TEST_CASE_FIXTURE(fixture, "an invalid request keeps its id in the error") {
    auto c = connect();
    c.send_raw(R"({"jsonrpc":"1.0","id":"x","method":"ping"})");
    auto r = c.await_response("x");
    CHECK(r["error"]["code"] == -32600);
  }

  TEST_CASE_FIXTURE(fixture, "an unknown method is -32601") {
    auto c = connect();
    c.initialize();
    auto err = c.call_error("no/such/method");
    CHECK(err["code"] == -32601);
  }

  TEST_CASE_FIXTURE(fixture, "responses echo the id with its JSON type and carry it as related") {
    auto c = connect();
    c.send(json{{"jsonrpc", "2.0"}, {"id", "abc"}, {"method", "ping"}});
    c.send(json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", "ping"}});
    auto a = c.wait(test::response_to("abc"));
    auto b = c.wait(test::response_to(7));
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->related == R"("abc")");
    CHECK(b->related == "7");
    CHECK(a->msg["jsonrpc"] == "2.0");
    CHECK(a->msg["result"] == json::object());
  }

  TEST_CASE_FIXTURE(fixture, "notifications are never answered") {
    auto c = connect();
    c.initialize();
    auto before = c.log().size();
    c.notify("notifications/unknown_thing", {{"x", 1}});
    c.notify("notifications/cancelled", {{"requestId", 12345}});
    c.notify("notifications/progress", {{"progressToken", 1}, {"progress", 1}});
    c.notify("notifications/initialized");
    c.barrier();
    // Only the ping's response was written.
    CHECK(c.log().size() == before + 1);
  }

  TEST_CASE_FIXTURE(fixture, "oversized messages are refused before parsing") {
    config->options.decode.max_message_bytes = 64;
    auto c = connect();
    c.send_raw(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" +
               std::string(100, 'x') + "\"}}");
    auto m = c.wait([](const test::out_msg& m) { return m.msg.contains("error"); });
    REQUIRE(m);
    CHECK(m->msg["error"]["data"]["reason"] == "message_too_large");
  }

  TEST_CASE_FIXTURE(fixture, "a request id still in flight cannot be reused") {
    auto events = std::make_shared<test::event_log>();
    mcp::tool_definition t;
    t.name = "wait";
    t.description = "waits until cancelled";
    t.handler = [events](const json&, mcp::call_context& ctx) {
      events->push("started");
      while (!ctx.is_cancelled())
        std::this_thread::sleep_for(1ms);
      return mcp::text_result("done");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    c.send(json{
        {"jsonrpc", "2.0"}, {"id", 100}, {"method", "tools/call"}, {"params", {{"name", "wait"}}}});
    REQUIRE(events->wait("started"));
    c.send(json{{"jsonrpc", "2.0"}, {"id", 100}, {"method", "ping"}});
    auto r = c.await_response(100);
    CHECK(r["error"]["data"]["reason"] == "duplicate_id");
    c.notify("notifications/cancelled", {{"requestId", 100}});
  }
}
