// tools/list and tools/call (checklist §4 "Tools", "Pagination").
#include "support.hpp"

#include <future>

using test::fixture;

namespace {

mcp::tool_definition add_tool() {
  mcp::tool_definition t;
  t.name = "add";
  t.title = "Adder";
  t.description = "adds two numbers";
  t.input_schema = {{"type", "object"},
                    {"properties", {{"a", {{"type", "number"}}}, {"b", {{"type", "number"}}}}},
                    {"required", {"a", "b"}}};
  t.output_schema = {
      {"type", "object"}, {"properties", {{"sum", {{"type", "number"}}}}}, {"required", {"sum"}}};
  t.annotations = {{"readOnlyHint", true}};
  t.icons = {cafmcp::protocol::icon{"https://example.com/add.png", "image/png", {"48x48"}, {}}};
  t.handler = [](const json& args, mcp::call_context&) {
    return mcp::structured_result({{"sum", args["a"].get<double>() + args["b"].get<double>()}});
  };
  return t;
}

} // namespace

TEST_SUITE("checklist 4 - tools") {

  TEST_CASE_FIXTURE(fixture, "tools/list shows name, title, description, schemas, annotations "
                             "and icons") {
    REQUIRE(features().add_tool(add_tool()));
    auto c = connect();
    c.initialize();
    auto tools = c.call("tools/list")["tools"];
    REQUIRE(tools.size() == 1);
    const auto& t = tools[0];
    CHECK(t["name"] == "add");
    CHECK(t["title"] == "Adder");
    CHECK(t["description"] == "adds two numbers");
    CHECK(t["inputSchema"]["required"] == json{"a", "b"});
    CHECK(t["outputSchema"]["required"] == json{"sum"});
    CHECK(t["annotations"] == json{{"readOnlyHint", true}});
    CHECK(t["icons"][0]["src"] == "https://example.com/add.png");
    CHECK_FALSE(t.contains("execution")); // taskSupport forbidden is the default
  }

  TEST_CASE_FIXTURE(fixture, "tools/list leaves out what an older revision does not know") {
    REQUIRE(features().add_tool(add_tool()));
    auto c = connect();
    c.initialize("2025-03-26");
    auto t = c.call("tools/list")["tools"][0];
    CHECK_FALSE(t.contains("title"));
    CHECK_FALSE(t.contains("outputSchema"));
    CHECK_FALSE(t.contains("icons"));
    CHECK(t.contains("annotations"));
  }

  TEST_CASE_FIXTURE(fixture, "a tool without parameters lists the no-parameter schema") {
    add_text_tool("plain", "x");
    auto c = connect();
    c.initialize();
    CHECK(c.call("tools/list")["tools"][0]["inputSchema"] ==
          json{{"type", "object"}, {"additionalProperties", false}});
  }

  TEST_CASE_FIXTURE(fixture, "tools/list pages with opaque cursors and a bad cursor is -32602") {
    config->options.page_size = 2;
    for (auto n : {"t1", "t2", "t3", "t4", "t5"})
      add_text_tool(n, n);
    auto c = connect();
    c.initialize();
    std::vector<std::string> names;
    json params = json::object();
    for (int pages = 0; pages < 10; ++pages) {
      auto r = c.call("tools/list", params);
      for (auto& t : r["tools"])
        names.push_back(t["name"]);
      if (!r.contains("nextCursor"))
        break;
      params = {{"cursor", r["nextCursor"]}};
    }
    CHECK(names == std::vector<std::string>{"t1", "t2", "t3", "t4", "t5"});
    CHECK(c.call_error("tools/list", {{"cursor", "garbage"}})["code"] == -32602);
    CHECK(c.call_error("tools/list", {{"cursor", 3}})["code"] == -32602);
  }

  TEST_CASE_FIXTURE(fixture, "tools/call runs the handler and returns its content") {
    add_text_tool("test_simple_text", "This is a simple text response for testing.");
    auto c = connect();
    c.initialize();
    // Called with no arguments field at all, as the conformance suite does.
    auto r = c.call("tools/call", {{"name", "test_simple_text"}});
    CHECK(r["content"] == json::array({{{"type", "text"},
                                        {"text", "This is a simple text response for testing."}}}));
    CHECK_FALSE(r.contains("isError"));
  }

  TEST_CASE_FIXTURE(fixture, "structuredContent that conforms to outputSchema is returned") {
    REQUIRE(features().add_tool(add_tool()));
    auto c = connect();
    c.initialize();
    auto r = c.call("tools/call", {{"name", "add"}, {"arguments", {{"a", 2}, {"b", 3}}}});
    CHECK(r["structuredContent"] == json{{"sum", 5}});
    CHECK(r["content"][0]["type"] == "text");
  }

  TEST_CASE_FIXTURE(fixture, "an unknown tool is -32602") {
    auto c = connect();
    c.initialize();
    auto err = c.call_error("tools/call", {{"name", "nope"}});
    CHECK(err["code"] == -32602);
    CHECK(err["data"]["reason"] == "unknown_tool");
  }

  TEST_CASE_FIXTURE(fixture, "malformed tools/call params are -32602") {
    add_text_tool("x", "x");
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("tools/call", json::object())["code"] == -32602);
    CHECK(c.call_error("tools/call", {{"name", 5}})["code"] == -32602);
    CHECK(c.call_error("tools/call", {{"name", "x"}, {"arguments", "str"}})["code"] == -32602);
  }

  TEST_CASE_FIXTURE(fixture, "input that fails the schema is an isError result (SEP-1303)") {
    REQUIRE(features().add_tool(add_tool()));
    auto c = connect();
    c.initialize();
    auto r = c.call("tools/call", {{"name", "add"}, {"arguments", {{"a", "two"}}}});
    CHECK(r["isError"] == true);
    CHECK(r["content"][0]["text"].get<std::string>().find("Input validation error") == 0);
  }

  TEST_CASE_FIXTURE(fixture, "input that fails the schema is -32602 before 2025-11-25") {
    REQUIRE(features().add_tool(add_tool()));
    auto c = connect();
    c.initialize("2025-06-18");
    auto err = c.call_error("tools/call", {{"name", "add"}, {"arguments", {{"a", 1}}}});
    CHECK(err["code"] == -32602);
  }

  TEST_CASE_FIXTURE(fixture, "structuredContent violating outputSchema is an isError result") {
    auto t = add_tool();
    t.name = "bad_add";
    t.handler = [](const json&, mcp::call_context&) {
      return mcp::structured_result({{"sum", "not a number"}});
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto t2 = add_tool();
    t2.name = "no_structured";
    t2.handler = [](const json&, mcp::call_context&) { return mcp::text_result("3"); };
    REQUIRE(features().add_tool(std::move(t2)));
    auto c = connect();
    c.initialize();
    auto r = c.call("tools/call", {{"name", "bad_add"}, {"arguments", {{"a", 1}, {"b", 2}}}});
    CHECK(r["isError"] == true);
    CHECK(r["content"][0]["text"].get<std::string>().find("Output validation error") == 0);
    auto r2 =
        c.call("tools/call", {{"name", "no_structured"}, {"arguments", {{"a", 1}, {"b", 2}}}});
    CHECK(r2["isError"] == true);
  }

  TEST_CASE_FIXTURE(fixture, "structuredContent is dropped for revisions without it") {
    REQUIRE(features().add_tool(add_tool()));
    auto c = connect();
    c.initialize("2025-03-26");
    auto r = c.call("tools/call", {{"name", "add"}, {"arguments", {{"a", 2}, {"b", 3}}}});
    CHECK_FALSE(r.contains("structuredContent"));
    CHECK(r["content"][0]["text"] == R"({"sum":5.0})");
  }

  TEST_CASE_FIXTURE(fixture, "a handler exception becomes an isError result with its message") {
    mcp::tool_definition t;
    t.name = "test_error_handling";
    t.description = "fails";
    t.handler = [](const json&, mcp::call_context&) -> json {
      throw std::runtime_error("This tool intentionally returns an error for testing");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    auto r = c.call("tools/call", {{"name", "test_error_handling"}});
    CHECK(r == json{{"content",
                     {{{"type", "text"},
                       {"text", "This tool intentionally returns an error for testing"}}}},
                    {"isError", true}});
  }

  TEST_CASE_FIXTURE(fixture, "a result without a content array is an isError result") {
    mcp::tool_definition t;
    t.name = "broken";
    t.description = "returns junk";
    t.handler = [](const json&, mcp::call_context&) { return json{{"foo", 1}}; };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    CHECK(c.call("tools/call", {{"name", "broken"}})["isError"] == true);
  }

  TEST_CASE_FIXTURE(fixture, "an async handler answers later from another thread") {
    mcp::tool_definition t;
    t.name = "later";
    t.description = "answers from a thread";
    t.async_handler = [](const json& args, mcp::call_context&, mcp::async_result done) {
      std::thread([done, n = args.value("n", 0)] {
        std::this_thread::sleep_for(10ms);
        done(mcp::text_result("got " + std::to_string(n)));
      }).detach();
    };
    t.input_schema = {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}};
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    CHECK(c.call("tools/call",
                 {{"name", "later"}, {"arguments", {{"n", 4}}}})["content"][0]["text"] == "got 4");
  }

  TEST_CASE_FIXTURE(fixture, "a cooperative handler runs on its session actor, no actor per call") {
    // The handler keeps its completion until the test has counted actors.
    std::promise<mcp::async_result> started;
    auto started_future = started.get_future();
    mcp::tool_definition t;
    t.name = "parked";
    t.description = "answers when told";
    t.async_handler = [&started](const json&, mcp::call_context&, mcp::async_result done) {
      started.set_value(std::move(done));
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    auto before = sys.registry().running();
    auto id = c.request("tools/call", {{"name", "parked"}});
    REQUIRE(started_future.wait_for(test::deadline) == std::future_status::ready);
    auto done = started_future.get();
    // A worker per call would be one more running actor while it waits.
    CHECK(sys.registry().running() == before);
    done(mcp::text_result("released"));
    CHECK(c.await_response(id)["result"]["content"][0]["text"] == "released");
  }

  TEST_CASE_FIXTURE(fixture, "a cooperative handler's log and progress precede its result") {
    // Run on the session, an answer given at once may skip the mailbox, but
    // never ahead of what the handler sent before it.
    mcp::tool_definition t;
    t.name = "chatty";
    t.description = "logs, reports progress, answers";
    t.handler = [](const json&, mcp::call_context& ctx) {
      ctx.log(cafmcp::protocol::log_level::info, "working");
      ctx.progress(1, 1);
      return mcp::text_result("done");
    };
    t.mode = mcp::execution::cooperative;
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "chatty"}, {"_meta", {{"progressToken", "p1"}}}});
    auto answer = c.log().wait_index(test::response_to(id));
    REQUIRE(answer);
    auto log = c.log().wait_index(test::method_is("notifications/message"));
    auto progress = c.log().wait_index(test::method_is("notifications/progress"));
    REQUIRE(log);
    REQUIRE(progress);
    CHECK(*log < *answer);
    CHECK(*progress < *answer);
  }

  TEST_CASE_FIXTURE(fixture, "a blocking request from a cooperative handler fails at once") {
    mcp::tool_definition t;
    t.name = "asks_blocking";
    t.description = "a sync handler declared cooperative that asks the client";
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply = ctx.create_message({{"messages", json::array()}, {"maxTokens", 5}});
      if (reply)
        return mcp::text_result("unexpected answer");
      return mcp::error_result(mcp::describe(reply.error()));
    };
    t.mode = mcp::execution::cooperative;
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize("2025-11-25", {{"sampling", json::object()}});
    // Waiting would block the session that must carry the question: the
    // call fails at once instead of after the request timeout.
    auto started = std::chrono::steady_clock::now();
    auto r = c.call("tools/call", {{"name", "asks_blocking"}});
    CHECK(r["isError"] == true);
    CHECK(r["content"][0]["text"].get<std::string>().find("blocking_in_cooperative") !=
          std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < test::deadline);
  }

  TEST_CASE_FIXTURE(fixture, "an async handler that drops its completion gets an isError result") {
    mcp::tool_definition t;
    t.name = "forgetful";
    t.description = "never answers";
    t.async_handler = [](const json&, mcp::call_context&, mcp::async_result) {};
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    CHECK(c.call("tools/call", {{"name", "forgetful"}})["isError"] == true);
  }

  TEST_CASE_FIXTURE(fixture, "-32042 from a handler stays a JSON-RPC error") {
    mcp::tool_definition t;
    t.name = "needs_url";
    t.description = "needs a URL elicitation";
    t.async_handler = [](const json&, mcp::call_context&, mcp::async_result done) {
      done.fail(cafmcp::protocol::url_elicitation_required(
          json::array({{{"mode", "url"},
                        {"url", "https://example.com/auth"},
                        {"elicitationId", "e1"},
                        {"message", "log in"}}})));
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    auto err = c.call_error("tools/call", {{"name", "needs_url"}});
    CHECK(err["code"] == -32042);
    CHECK(err["data"]["elicitations"][0]["elicitationId"] == "e1");
  }

  TEST_CASE_FIXTURE(fixture, "a tool that requires tasks cannot run without them: -32601") {
    mcp::tool_definition t;
    t.name = "task_only";
    t.description = "task only";
    t.tasks = mcp::task_support::required;
    t.handler = [](const json&, mcp::call_context&) { return mcp::text_result("x"); };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("tools/call", {{"name", "task_only"}})["code"] == -32601);
    CHECK(c.call("tools/list")["tools"][0]["execution"] == json{{"taskSupport", "required"}});
  }

  TEST_CASE_FIXTURE(fixture, "tool invocations are rate limited per session") {
    config->options.tool_calls_per_second = 0.001;
    config->options.tool_call_burst = 2;
    add_text_tool("x", "ok");
    auto c = connect();
    c.initialize();
    CHECK_FALSE(c.call("tools/call", {{"name", "x"}}).contains("isError"));
    CHECK_FALSE(c.call("tools/call", {{"name", "x"}}).contains("isError"));
    auto limited = c.call("tools/call", {{"name", "x"}});
    CHECK(limited["isError"] == true);
    // Another session has its own budget.
    auto other = connect("other");
    other.initialize();
    CHECK_FALSE(other.call("tools/call", {{"name", "x"}}).contains("isError"));
  }

  TEST_CASE_FIXTURE(fixture, "too many requests in flight are refused, not queued") {
    config->options.max_in_flight = 1;
    auto events = std::make_shared<test::event_log>();
    mcp::tool_definition t;
    t.name = "hold";
    t.description = "holds until cancelled";
    t.handler = [events](const json&, mcp::call_context& ctx) {
      events->push("started");
      while (!ctx.is_cancelled())
        std::this_thread::sleep_for(1ms);
      return mcp::text_result("x");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "hold"}});
    REQUIRE(events->wait("started"));
    auto err = c.call_error("tools/call", {{"name", "hold"}});
    CHECK(err["data"]["reason"] == "too_many_requests");
    c.notify("notifications/cancelled", {{"requestId", id}});
  }
}
