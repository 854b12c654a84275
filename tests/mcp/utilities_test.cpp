// Logging, progress, cancellation, list_changed, and handlers running off the
// session actor (checklist §4 "Logging", "Progress", "Cancellation", "Ping",
// list_changed notifications; DESIGN.md §3 "off-actor if it may block").
#include "support.hpp"

using cafmcp::protocol::log_level;
using test::fixture;

namespace {

// Logs three messages and reports progress 0, 50, 100 (with a repeat and a
// step back in between that must be dropped), then answers.
mcp::tool_definition chatty_tool() {
  mcp::tool_definition t;
  t.name = "chatty";
  t.description = "logs and reports progress";
  t.handler = [](const json&, mcp::call_context& ctx) {
    ctx.log(log_level::info, "Tool execution started");
    ctx.progress(0, 100);
    ctx.log(log_level::debug, "debug detail");
    std::this_thread::sleep_for(20ms);
    ctx.progress(50, 100, "halfway");
    ctx.progress(50, 100);
    ctx.progress(40, 100);
    ctx.log(log_level::warning, {{"step", 2}}, "worker");
    std::this_thread::sleep_for(20ms);
    ctx.progress(100, 100);
    ctx.log(log_level::info, "Tool execution completed");
    return mcp::text_result("done");
  };
  return t;
}

mcp::tool_definition waiting_tool(std::shared_ptr<test::event_log> events,
                                  const std::string& name = "wait") {
  mcp::tool_definition t;
  t.name = name;
  t.description = "blocks until cancelled or released";
  t.handler = [events, name](const json&, mcp::call_context& ctx) {
    events->push(name + ":started");
    auto until = std::chrono::steady_clock::now() + test::deadline;
    while (!ctx.is_cancelled() && !events->has(name + ":release") &&
           std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(1ms);
    events->push(ctx.is_cancelled() ? name + ":saw-cancel" : name + ":released");
    return mcp::text_result("finished");
  };
  return t;
}

std::vector<json> messages_with(const std::vector<test::out_msg>& all, const std::string& method) {
  std::vector<json> out;
  for (const auto& m : all)
    if (m.msg.value("method", "") == method)
      out.push_back(m.msg["params"]);
  return out;
}

} // namespace

TEST_SUITE("checklist 4 - logging") {

  TEST_CASE_FIXTURE(fixture, "logging/setLevel filters notifications/message by level") {
    REQUIRE(features().add_tool(chatty_tool()));
    auto c = connect();
    c.initialize();
    CHECK(c.call("logging/setLevel", {{"level", "info"}}) == json::object());
    c.call("tools/call", {{"name", "chatty"}});
    auto logs = messages_with(c.log().snapshot(), "notifications/message");
    REQUIRE(logs.size() == 3); // the debug one is filtered
    CHECK(logs[0] == json{{"level", "info"}, {"data", "Tool execution started"}});
    CHECK(logs[1] == json{{"level", "warning"}, {"data", {{"step", 2}}}, {"logger", "worker"}});
    CHECK(logs[2]["data"] == "Tool execution completed");
  }

  TEST_CASE_FIXTURE(fixture, "before setLevel every level is sent") {
    REQUIRE(features().add_tool(chatty_tool()));
    auto c = connect();
    c.initialize();
    c.call("tools/call", {{"name", "chatty"}});
    CHECK(messages_with(c.log().snapshot(), "notifications/message").size() == 4);
  }

  TEST_CASE_FIXTURE(fixture, "an invalid level is -32602") {
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("logging/setLevel", {{"level", "verbose"}})["code"] == -32602);
    CHECK(c.call_error("logging/setLevel", json::object())["code"] == -32602);
  }

  TEST_CASE_FIXTURE(fixture, "log notifications are rate limited and the drops counted") {
    config->options.log_messages_per_second = 0.001;
    config->options.log_message_burst = 2;
    REQUIRE(features().add_tool(chatty_tool()));
    auto c = connect();
    c.initialize();
    c.call("tools/call", {{"name", "chatty"}});
    CHECK(messages_with(c.log().snapshot(), "notifications/message").size() == 2);
    CHECK(test::wait_stats(sys, c.server(),
                           [](const mcp::session_stats& s) { return s.dropped_logs == 2; }));
  }
}

TEST_SUITE("checklist 4 - progress") {

  TEST_CASE_FIXTURE(fixture, "progress and logs reach the sink before the result of a slow call") {
    REQUIRE(features().add_tool(chatty_tool()));
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "chatty"}, {"_meta", {{"progressToken", 77}}}});
    c.await_response(id);
    auto all = c.log().snapshot();
    std::vector<json> progress;
    size_t logs_before_result = 0;
    for (const auto& m : all) {
      if (test::is_response_to(m, id))
        break;
      auto method = m.msg.value("method", "");
      if (method == "notifications/progress") {
        progress.push_back(m.msg["params"]);
        CHECK(m.related == id.dump());
      } else if (method == "notifications/message") {
        ++logs_before_result;
        CHECK(m.related == id.dump());
      }
    }
    CHECK(logs_before_result == 4);
    // Strictly increasing: the repeated 50 and the step back to 40 are dropped.
    REQUIRE(progress.size() == 3);
    CHECK(progress[0] == json{{"progressToken", 77}, {"progress", 0}, {"total", 100}});
    CHECK(progress[1] ==
          json{{"progressToken", 77}, {"progress", 50}, {"total", 100}, {"message", "halfway"}});
    CHECK(progress[2]["progress"] == 100);
  }

  TEST_CASE_FIXTURE(fixture, "no progress is sent without a progressToken") {
    REQUIRE(features().add_tool(chatty_tool()));
    auto c = connect();
    c.initialize();
    c.call("tools/call", {{"name", "chatty"}});
    CHECK(messages_with(c.log().snapshot(), "notifications/progress").empty());
  }

  TEST_CASE_FIXTURE(fixture, "a string progressToken is echoed and message omitted before "
                             "2025-03-26") {
    REQUIRE(features().add_tool(chatty_tool()));
    auto c = connect();
    c.initialize("2024-11-05");
    c.call("tools/call", {{"name", "chatty"}, {"_meta", {{"progressToken", "tok"}}}});
    auto progress = messages_with(c.log().snapshot(), "notifications/progress");
    REQUIRE(progress.size() == 3);
    CHECK(progress[1]["progressToken"] == "tok");
    CHECK_FALSE(progress[1].contains("message"));
  }
}

TEST_SUITE("checklist 4 - cancellation") {

  TEST_CASE_FIXTURE(fixture, "notifications/cancelled stops the handler and no response is "
                             "sent") {
    auto events = std::make_shared<test::event_log>();
    REQUIRE(features().add_tool(waiting_tool(events)));
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "wait"}});
    REQUIRE(events->wait("wait:started"));
    c.notify("notifications/cancelled", {{"requestId", id}, {"reason", "user aborted"}});
    CHECK(events->wait("wait:saw-cancel"));
    CHECK(test::wait_stats(sys, c.server(),
                           [](const mcp::session_stats& s) { return s.in_flight == 0; }));
    c.barrier();
    CHECK_FALSE(c.wait(test::response_to(id), 0, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "cancelling an unknown or finished request is ignored") {
    add_text_tool("x", "x");
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "x"}});
    c.await_response(id);
    c.notify("notifications/cancelled", {{"requestId", id}});
    c.notify("notifications/cancelled", {{"requestId", "never-sent"}});
    c.notify("notifications/cancelled", json::object());
    c.barrier();
    CHECK(c.call("tools/call", {{"name", "x"}})["content"][0]["text"] == "x");
  }

  TEST_CASE_FIXTURE(fixture, "initialize cannot be cancelled") {
    auto c = connect();
    auto id = c.request("initialize",
                        {{"protocolVersion", "2025-11-25"}, {"capabilities", json::object()}});
    c.notify("notifications/cancelled", {{"requestId", id}});
    CHECK(c.await_response(id).contains("result"));
  }

  TEST_CASE_FIXTURE(fixture, "a cancelled async handler's late answer is discarded") {
    auto done_holder = std::make_shared<std::optional<mcp::async_result>>();
    auto events = std::make_shared<test::event_log>();
    mcp::tool_definition t;
    t.name = "later";
    t.description = "answers when told";
    t.async_handler = [done_holder, events](const json&, mcp::call_context&,
                                            mcp::async_result done) {
      *done_holder = done;
      events->push("started");
    };
    REQUIRE(features().add_tool(std::move(t)));
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "later"}});
    REQUIRE(events->wait("started"));
    c.notify("notifications/cancelled", {{"requestId", id}});
    c.barrier();
    (**done_holder)(mcp::text_result("too late"));
    done_holder->reset();
    c.barrier();
    CHECK_FALSE(c.wait(test::response_to(id), 0, test::settle));
  }
}

TEST_SUITE("checklist 4 - handlers off the session actor") {

  TEST_CASE_FIXTURE(fixture, "a blocking handler does not stop its session from answering ping") {
    auto events = std::make_shared<test::event_log>();
    REQUIRE(features().add_tool(waiting_tool(events)));
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "wait"}});
    REQUIRE(events->wait("wait:started"));
    for (int i = 0; i < 5; ++i)
      c.barrier(); // answered while the handler blocks
    CHECK_FALSE(events->has("wait:released"));
    events->push("wait:release");
    CHECK(c.await_response(id)["result"]["content"][0]["text"] == "finished");
  }

  TEST_CASE_FIXTURE(fixture, "blocking handlers do not stop other sessions") {
    auto events = std::make_shared<test::event_log>();
    REQUIRE(features().add_tool(waiting_tool(events, "a")));
    REQUIRE(features().add_tool(waiting_tool(events, "b")));
    REQUIRE(features().add_tool(waiting_tool(events, "c")));
    add_text_tool("quick", "fast");
    // More blocked handlers than scheduler threads (2).
    std::vector<test::client> blocked;
    std::vector<json> ids;
    for (std::string n : {"a", "b", "c"}) {
      blocked.push_back(connect("blocked-" + n));
      blocked.back().initialize();
      ids.push_back(blocked.back().request("tools/call", {{"name", n}}));
      REQUIRE(events->wait(n + ":started"));
    }
    auto other = connect("other");
    other.initialize();
    CHECK(other.call("tools/call", {{"name", "quick"}})["content"][0]["text"] == "fast");
    for (std::string n : {"a", "b", "c"})
      events->push(n + ":release");
    for (size_t i = 0; i < blocked.size(); ++i)
      blocked[i].await_response(ids[i]);
  }

  TEST_CASE_FIXTURE(fixture, "concurrent calls in one session answer independently") {
    auto events = std::make_shared<test::event_log>();
    REQUIRE(features().add_tool(waiting_tool(events)));
    add_text_tool("quick", "fast");
    auto c = connect();
    c.initialize();
    auto slow = c.request("tools/call", {{"name", "wait"}});
    REQUIRE(events->wait("wait:started"));
    CHECK(c.call("tools/call", {{"name", "quick"}})["content"][0]["text"] == "fast");
    events->push("wait:release");
    c.await_response(slow);
  }
}

TEST_SUITE("checklist 4 - list_changed") {

  TEST_CASE_FIXTURE(fixture, "adding and removing a tool at runtime sends tools/list_changed") {
    add_text_tool("first", "1");
    auto c = connect();
    c.initialize();
    c.barrier();
    auto from = c.log().size();
    add_text_tool("test_dynamic_tool", "dynamic");
    auto n = c.wait(test::method_is("notifications/tools/list_changed"), from);
    REQUIRE(n);
    CHECK(n->related.empty());
    CHECK(c.call("tools/list")["tools"].size() == 2);
    from = c.log().size();
    CHECK(features().remove_tool("test_dynamic_tool"));
    CHECK(c.wait(test::method_is("notifications/tools/list_changed"), from));
    CHECK_FALSE(features().remove_tool("test_dynamic_tool"));
  }

  TEST_CASE_FIXTURE(fixture, "resource and prompt changes send their own list_changed") {
    features().declare(mcp::feature_kind::resources);
    features().declare(mcp::feature_kind::prompts);
    auto c = connect();
    c.initialize();
    mcp::resource_definition r;
    r.uri = "test://dynamic-resource";
    r.name = "dynamic";
    r.read = [](const mcp::resource_request&, mcp::call_context&) -> mcp::read_result {
      return std::vector<mcp::resource_content>{};
    };
    REQUIRE(features().add_resource(std::move(r)));
    CHECK(c.wait(test::method_is("notifications/resources/list_changed")));
    mcp::prompt_definition p;
    p.name = "test_dynamic_prompt";
    p.get = [](const mcp::prompt_request&, mcp::call_context&) -> mcp::prompt_get_result {
      return json::array();
    };
    REQUIRE(features().add_prompt(std::move(p)));
    CHECK(c.wait(test::method_is("notifications/prompts/list_changed")));
  }

  TEST_CASE_FIXTURE(fixture, "no list_changed for a capability the client was not offered") {
    auto c = connect();
    c.initialize(); // no tools registered or declared: no tools capability
    auto from = c.log().size();
    add_text_tool("late", "x");
    c.barrier();
    CHECK_FALSE(c.wait(test::method_is("notifications/tools/list_changed"), from, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "a burst of registrations reaches every live session") {
    add_text_tool("t0", "0");
    auto a = connect("a");
    auto b = connect("b");
    a.initialize();
    b.initialize();
    a.barrier();
    b.barrier();
    for (int i = 1; i <= 20; ++i)
      add_text_tool("t" + std::to_string(i), "x");
    CHECK(a.wait(test::method_is("notifications/tools/list_changed")));
    CHECK(b.wait(test::method_is("notifications/tools/list_changed")));
  }
}
