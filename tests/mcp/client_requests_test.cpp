// Server->client requests from handlers (checklist §4 "Sampling",
// "Elicitation", "Roots"; §2 "Timeouts on every outgoing request").
#include "support.hpp"

#include "cafmcp/actors/mcp/sampling_rules.hpp"

using test::fixture;

namespace {

const json sampling_caps = {{"sampling", json::object()}};

// A tool that asks the client for an LLM completion and returns its text, as
// the conformance fixture test_sampling does.
mcp::tool_definition sampling_tool(std::chrono::milliseconds timeout = 0ms,
                                   bool with_tools = false) {
  mcp::tool_definition t;
  t.name = "test_sampling";
  t.description = "asks the client's LLM";
  t.input_schema = {{"type", "object"},
                    {"properties", {{"prompt", {{"type", "string"}}}}},
                    {"required", {"prompt"}}};
  t.handler = [timeout, with_tools](const json& args, mcp::call_context& ctx) {
    json params{{"messages",
                 {{{"role", "user"}, {"content", {{"type", "text"}, {"text", args["prompt"]}}}}}},
                {"maxTokens", 100}};
    if (with_tools)
      params["tools"] = json::array({{{"name", "t"}, {"inputSchema", {{"type", "object"}}}}});
    auto reply = ctx.create_message(params, timeout);
    if (!reply)
      return mcp::error_result("sampling failed: " + mcp::describe(reply.error()));
    return mcp::text_result("LLM response: " + (*reply)["content"]["text"].get<std::string>());
  };
  return t;
}

} // namespace

TEST_SUITE("checklist 4 - sampling") {

  TEST_CASE_FIXTURE(fixture, "a sampling round trip returns the client's answer to the tool") {
    REQUIRE(features().add_tool(sampling_tool()));
    auto c = connect();
    c.initialize("2025-11-25", sampling_caps);
    auto id =
        c.request("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "hi"}}}});
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    CHECK(req->related == id.dump());
    CHECK(req->msg["params"]["maxTokens"] == 100);
    CHECK(req->msg["params"]["messages"][0]["content"]["text"] == "hi");
    c.respond(req->msg["id"], {{"role", "assistant"},
                               {"content", {{"type", "text"}, {"text", "hello there"}}},
                               {"model", "test-model"}});
    auto r = c.await_response(id);
    CHECK(r["result"]["content"][0]["text"] == "LLM response: hello there");
  }

  TEST_CASE_FIXTURE(fixture, "an unanswered sampling request times out: notifications/cancelled "
                             "and a failed call") {
    REQUIRE(features().add_tool(sampling_tool(50ms)));
    auto c = connect();
    c.initialize("2025-11-25", sampling_caps);
    auto id =
        c.request("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "hi"}}}});
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    auto cancel = c.wait(test::method_is("notifications/cancelled"));
    REQUIRE(cancel);
    CHECK(cancel->msg["params"]["requestId"] == req->msg["id"]);
    CHECK(cancel->related == id.dump());
    auto r = c.await_response(id);
    CHECK(r["result"]["isError"] == true);
    CHECK(r["result"]["content"][0]["text"].get<std::string>().find("request_timeout") !=
          std::string::npos);
    // A late answer is ignored.
    c.respond(req->msg["id"], {{"role", "assistant"}});
    c.barrier();
  }

  TEST_CASE_FIXTURE(fixture, "no sampling request when the client did not declare sampling") {
    REQUIRE(features().add_tool(sampling_tool()));
    auto c = connect();
    c.initialize();
    auto r = c.call("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "x"}}}});
    CHECK(r["isError"] == true);
    CHECK(r["content"][0]["text"].get<std::string>().find("capability_missing") !=
          std::string::npos);
    CHECK_FALSE(c.wait(test::method_is("sampling/createMessage"), 0, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "tools in sampling only when the client declared sampling.tools") {
    REQUIRE(features().add_tool(sampling_tool(0ms, true)));
    auto plain = connect("plain");
    plain.initialize("2025-11-25", sampling_caps);
    auto r =
        plain.call("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "x"}}}});
    CHECK(r["isError"] == true);
    auto with_tools = connect("with-tools");
    with_tools.initialize("2025-11-25", {{"sampling", {{"tools", json::object()}}}});
    auto id = with_tools.request("tools/call",
                                 {{"name", "test_sampling"}, {"arguments", {{"prompt", "x"}}}});
    auto req = with_tools.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    CHECK(req->msg["params"]["tools"][0]["name"] == "t");
    with_tools.respond(req->msg["id"],
                       {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "ok"}}}});
    CHECK(with_tools.await_response(id)["result"]["content"][0]["text"] == "LLM response: ok");
  }

  TEST_CASE_FIXTURE(fixture, "a client error answer fails the request with its code") {
    REQUIRE(features().add_tool(sampling_tool()));
    auto c = connect();
    c.initialize("2025-11-25", sampling_caps);
    auto id =
        c.request("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "x"}}}});
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    c.send(json{{"jsonrpc", "2.0"},
                {"id", req->msg["id"]},
                {"error", {{"code", -1}, {"message", "User rejected sampling request"}}}});
    auto text = c.await_response(id)["result"]["content"][0]["text"].get<std::string>();
    CHECK(text.find("client_error") != std::string::npos);
    CHECK(text.find("User rejected") != std::string::npos);
  }

  TEST_CASE_FIXTURE(fixture, "cancelling the call cancels its pending sampling request") {
    auto events = std::make_shared<test::event_log>();
    mcp::tool_definition t = sampling_tool();
    t.handler = [events](const json&, mcp::call_context& ctx) {
      auto reply = ctx.create_message({{"messages", json::array()}, {"maxTokens", 1}});
      events->push(reply ? "answered" : test::errc_name(reply.error()));
      return mcp::text_result("x");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", sampling_caps);
    auto id =
        c.request("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "x"}}}});
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    c.notify("notifications/cancelled", {{"requestId", id}});
    auto cancel = c.wait(test::method_is("notifications/cancelled"));
    REQUIRE(cancel);
    CHECK(cancel->msg["params"]["requestId"] == req->msg["id"]);
    CHECK(events->wait("request_cancelled"));
    CHECK_FALSE(c.wait(test::response_to(id), 0, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "an async handler samples without blocking a thread") {
    mcp::tool_definition t;
    t.name = "async_sampling";
    t.description = "samples asynchronously";
    t.async_handler = [](const json&, mcp::call_context& ctx, mcp::async_result done) {
      ctx.create_message_async({{"messages", json::array()}, {"maxTokens", 5}},
                               [done](caf::expected<json> reply) {
                                 if (reply)
                                   done(mcp::text_result((*reply)["content"]["text"]));
                                 else
                                   done.fail(mcp::describe(reply.error()));
                               });
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", sampling_caps);
    auto id = c.request("tools/call", {{"name", "async_sampling"}});
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    c.respond(req->msg["id"],
              {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "A"}}}});
    CHECK(c.await_response(id)["result"]["content"][0]["text"] == "A");
  }
}

TEST_SUITE("checklist 4 - elicitation") {

  TEST_CASE_FIXTURE(fixture, "a form elicitation round trip") {
    mcp::tool_definition t;
    t.name = "test_elicitation";
    t.description = "asks the user";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply = ctx.elicit({{"message", "Who are you?"},
                               {"requestedSchema",
                                {{"type", "object"},
                                 {"properties",
                                  {{"username", {{"type", "string"}}},
                                   {"email", {{"type", "string"}, {"format", "email"}}}}},
                                 {"required", {"username"}}}}});
      if (!reply)
        return mcp::error_result(mcp::describe(reply.error()));
      return mcp::text_result("User response: action=" + (*reply)["action"].get<std::string>() +
                              ", content=" + (*reply)["content"].dump());
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", {{"elicitation", json::object()}});
    auto id = c.request("tools/call", {{"name", "test_elicitation"}});
    auto req = c.wait(test::method_is("elicitation/create"));
    REQUIRE(req);
    CHECK(req->msg["params"]["message"] == "Who are you?");
    c.respond(req->msg["id"], {{"action", "accept"}, {"content", {{"username", "ada"}}}});
    CHECK(c.await_response(id)["result"]["content"][0]["text"] ==
          R"(User response: action=accept, content={"username":"ada"})");
  }

  TEST_CASE_FIXTURE(fixture, "url mode only when the client declared elicitation.url") {
    auto events = std::make_shared<test::event_log>();
    mcp::tool_definition t;
    t.name = "url_elicit";
    t.description = "url mode";
    t.handler = [events](const json&, mcp::call_context& ctx) {
      auto reply = ctx.elicit({{"mode", "url"},
                               {"message", "Authorize"},
                               {"url", "https://example.com/oauth"},
                               {"elicitationId", "el-1"}},
                              50ms);
      events->push(reply ? "answered" : test::errc_name(reply.error()));
      return mcp::text_result("x");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto form_only = connect("form");
    form_only.initialize("2025-11-25", {{"elicitation", json::object()}});
    form_only.call("tools/call", {{"name", "url_elicit"}});
    CHECK(events->wait("capability_missing"));
    auto url = connect("url");
    url.initialize("2025-11-25", {{"elicitation", {{"url", json::object()}}}});
    auto id = url.request("tools/call", {{"name", "url_elicit"}});
    auto req = url.wait(test::method_is("elicitation/create"));
    REQUIRE(req);
    CHECK(req->msg["params"]["mode"] == "url");
    url.respond(req->msg["id"], {{"action", "accept"}});
    url.await_response(id);
    CHECK(events->wait("answered"));
  }

  TEST_CASE_FIXTURE(fixture, "an off-spec form schema is refused before it is sent") {
    mcp::tool_definition t;
    t.name = "nested";
    t.description = "nested schema";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply =
          ctx.elicit({{"message", "m"},
                      {"requestedSchema",
                       {{"type", "object"},
                        {"properties",
                         {{"address", {{"type", "object"}, {"properties", json::object()}}}}}}}});
      return reply ? mcp::text_result("sent") : mcp::error_result(mcp::describe(reply.error()));
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", {{"elicitation", json::object()}});
    auto r = c.call("tools/call", {{"name", "nested"}});
    CHECK(r["isError"] == true);
    CHECK_FALSE(c.wait(test::method_is("elicitation/create"), 0, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "no elicitation for revisions before 2025-06-18") {
    mcp::tool_definition t;
    t.name = "e";
    t.description = "e";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply =
          ctx.elicit({{"message", "m"},
                      {"requestedSchema", {{"type", "object"}, {"properties", json::object()}}}});
      return reply ? mcp::text_result("sent") : mcp::error_result(mcp::describe(reply.error()));
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-03-26", {{"elicitation", json::object()}});
    CHECK(c.call("tools/call", {{"name", "e"}})["isError"] == true);
  }
}

TEST_SUITE("checklist 4 - roots") {

  TEST_CASE_FIXTURE(fixture, "roots/list round trip and roots list_changed reaches the hook") {
    auto changes = std::make_shared<std::atomic<int>>(0);
    config->on_roots_list_changed = [changes](const mcp::session_info& info) {
      if (info.client_has_roots())
        ++*changes;
    };
    mcp::tool_definition t;
    t.name = "roots";
    t.description = "lists the client's roots";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply = ctx.list_roots();
      if (!reply)
        return mcp::error_result(mcp::describe(reply.error()));
      return mcp::text_result((*reply)["roots"][0]["uri"].get<std::string>());
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", {{"roots", {{"listChanged", true}}}});
    auto id = c.request("tools/call", {{"name", "roots"}});
    auto req = c.wait(test::method_is("roots/list"));
    REQUIRE(req);
    c.respond(req->msg["id"], {{"roots", {{{"uri", "file:///home/user/project"}}}}});
    CHECK(c.await_response(id)["result"]["content"][0]["text"] == "file:///home/user/project");
    c.notify("notifications/roots/list_changed");
    c.barrier();
    CHECK(changes->load() == 1);
  }

  TEST_CASE_FIXTURE(fixture, "no roots request without the roots capability") {
    mcp::tool_definition t;
    t.name = "roots";
    t.description = "lists the client's roots";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply = ctx.list_roots();
      return reply ? mcp::text_result("x") : mcp::error_result(mcp::describe(reply.error()));
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    CHECK(c.call("tools/call", {{"name", "roots"}})["isError"] == true);
  }
}

TEST_SUITE("checklist 4 - sampling: message rules") {

  TEST_CASE("tool_result messages hold only tool_results and answer every tool_use") {
    auto text = [](std::string t) { return json{{"type", "text"}, {"text", std::move(t)}}; };
    auto use = [](std::string id) {
      return json{
          {"type", "tool_use"}, {"id", std::move(id)}, {"name", "f"}, {"input", json::object()}};
    };
    auto result = [](std::string id) {
      return json{
          {"type", "tool_result"}, {"toolUseId", std::move(id)}, {"content", json::array()}};
    };
    auto req = [](json messages) {
      return json{{"messages", std::move(messages)}, {"maxTokens", 10}};
    };
    CHECK_FALSE(mcp::check_sampling_request(
        req(json::array({{{"role", "user"}, {"content", text("hi")}}}))));
    // A full tool loop.
    CHECK_FALSE(mcp::check_sampling_request(
        req(json::array({{{"role", "user"}, {"content", text("weather?")}},
                         {{"role", "assistant"}, {"content", json::array({use("a"), use("b")})}},
                         {{"role", "user"}, {"content", json::array({result("a"), result("b")})}},
                         {{"role", "assistant"}, {"content", text("sunny")}}}))));
    // Mixed tool_result and text.
    CHECK(mcp::check_sampling_request(req(
        json::array({{{"role", "assistant"}, {"content", use("a")}},
                     {{"role", "user"}, {"content", json::array({result("a"), text("and")})}}}))));
    // A tool_use left unanswered.
    CHECK(mcp::check_sampling_request(
        req(json::array({{{"role", "assistant"}, {"content", json::array({use("a"), use("b")})}},
                         {{"role", "user"}, {"content", result("a")}}}))));
    CHECK(mcp::check_sampling_request(
        req(json::array({{{"role", "assistant"}, {"content", use("a")}},
                         {{"role", "user"}, {"content", text("x")}}}))));
    // Structure.
    CHECK(mcp::check_sampling_request(json{{"messages", json::array()}}));
    CHECK(mcp::check_sampling_request(
        req(json::array({{{"role", "system"}, {"content", text("x")}}}))));
    auto bad_choice = req(json::array());
    bad_choice["toolChoice"] = {{"mode", "always"}};
    CHECK(mcp::check_sampling_request(bad_choice));
  }

  TEST_CASE_FIXTURE(fixture, "a malformed sampling request is refused before it is sent") {
    mcp::tool_definition t;
    t.name = "bad_sampling";
    t.description = "sends a broken request";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply = ctx.create_message({{"messages", "not an array"}, {"maxTokens", 1}});
      return reply ? mcp::text_result("sent") : mcp::error_result(test::errc_name(reply.error()));
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", sampling_caps);
    auto r = c.call("tools/call", {{"name", "bad_sampling"}});
    CHECK(r["content"][0]["text"] == "invalid_request");
    CHECK_FALSE(c.wait(test::method_is("sampling/createMessage"), 0, test::settle));
  }
}

TEST_SUITE("checklist 4 - elicitation: url mode completion") {

  TEST_CASE_FIXTURE(fixture, "notifications/elicitation/complete goes only to a URL-capable "
                             "client, also after the call returned") {
    auto session = std::make_shared<caf::actor>();
    mcp::tool_definition t;
    t.name = "starts_url_flow";
    t.description = "starts an out-of-band flow";
    t.handler = [session](const json&, mcp::call_context& ctx) {
      *session = ctx.session_actor();
      ctx.elicitation_complete("el-now");
      return mcp::text_result("started");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto url = connect("url");
    url.initialize("2025-11-25", {{"elicitation", {{"url", json::object()}}}});
    url.call("tools/call", {{"name", "starts_url_flow"}});
    auto now = url.wait(test::method_is("notifications/elicitation/complete"));
    REQUIRE(now);
    CHECK(now->msg["params"] == json{{"elicitationId", "el-now"}});
    // Later, from anywhere.
    caf::anon_send(*session, mcp::elicitation_complete_atom::value, std::string{"el-later"});
    CHECK(url.wait([](const test::out_msg& m) {
      return m.msg.value("method", "") == "notifications/elicitation/complete" &&
             m.msg["params"]["elicitationId"] == "el-later";
    }));
    auto form = connect("form");
    form.initialize("2025-11-25", {{"elicitation", json::object()}});
    form.call("tools/call", {{"name", "starts_url_flow"}});
    form.barrier();
    CHECK_FALSE(form.wait(test::method_is("notifications/elicitation/complete"), 0, test::settle));
  }
}
