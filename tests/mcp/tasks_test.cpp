// Task-augmented tools/call and tasks/* over the node's task_manager service
// (checklist §5 "Tasks").
#include "support.hpp"

#include "cafmcp/actors/mcp/task_backend.hpp"
#include "cafmcp/actors/services/resource_subscriptions.hpp"
#include "cafmcp/actors/services/task_manager.hpp"

namespace svc = cafmcp::services;

namespace {

struct task_fixture : test::fixture {
  std::shared_ptr<svc::service_ref> ref = std::make_shared<svc::service_ref>();
  caf::actor manager;
  // Shared with the tool handlers, which may still run while the fixture
  // is destroyed (the actor system, a base, waits for them last).
  std::shared_ptr<test::event_log> events = std::make_shared<test::event_log>();

  task_fixture() {
    svc::task_settings settings;
    settings.ref = ref;
    settings.limits.max_ttl_ms = 120000;
    settings.limits.max_active_per_owner = 3;
    manager = sys.spawn(svc::task_manager, std::make_shared<svc::task_store>(), settings);
    auto until = std::chrono::steady_clock::now() + test::deadline;
    while (!ref->get() && std::chrono::steady_clock::now() < until)
      std::this_thread::yield();
    REQUIRE(ref->get());
    config->tasks = std::make_shared<mcp::task_backend>(ref);
    add_gate_tool("gate", mcp::task_support::optional);
  }

  ~task_fixture() { caf::anon_send_exit(manager, caf::exit_reason::kill); }

  // "ask": a task tool that samples its client once (input_required).
  void add_ask_tool() {
    mcp::tool_definition t;
    t.name = "ask";
    t.description = "samples inside a task";
    t.tasks = mcp::task_support::optional;
    t.handler = [](const json&, mcp::call_context& ctx) {
      auto reply = ctx.create_message({{"messages", json::array()}, {"maxTokens", 1}});
      return reply ? mcp::text_result("got it") : mcp::error_result("no answer");
    };
    REQUIRE(features().add_tool(std::move(t)));
  }

  // Blocks until "<name>:release" or cancellation, then answers (isError
  // when "<name>:fail" was pushed).
  void add_gate_tool(const std::string& name, mcp::task_support support) {
    mcp::tool_definition t;
    t.name = name;
    t.description = "waits for the test";
    t.tasks = support;
    t.handler = [events = events, name](const json&, mcp::call_context& ctx) {
      events->push(name + ":started");
      auto until = std::chrono::steady_clock::now() + test::deadline;
      while (!ctx.is_cancelled() && !events->has(name + ":release") &&
             std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(1ms);
      events->push(ctx.is_cancelled() ? name + ":saw-cancel" : name + ":done");
      if (events->has(name + ":fail"))
        return mcp::error_result("gate failed");
      return mcp::text_result("gate passed");
    };
    REQUIRE(features().add_tool(std::move(t)));
  }
};

const json task_param = {{"ttl", 60000}};

} // namespace

TEST_SUITE("checklist 5 - tasks") {

  TEST_CASE_FIXTURE(task_fixture, "the tasks capability is declared with a task backend on "
                                  "2025-11-25 only") {
    auto c = connect("a");
    CHECK(c.initialize()["capabilities"]["tasks"] ==
          json{{"list", json::object()},
               {"cancel", json::object()},
               {"requests", {{"tools", {{"call", json::object()}}}}}});
    auto old = connect("b");
    CHECK_FALSE(old.initialize("2025-06-18")["capabilities"].contains("tasks"));
    CHECK(old.call_error("tasks/list")["code"] == -32601);
  }

  TEST_CASE_FIXTURE(task_fixture, "a task-augmented call returns CreateTaskResult at once and "
                                  "tasks/result the tool's result") {
    auto c = connect();
    c.initialize();
    auto created = c.call("tools/call", {{"name", "gate"}, {"task", task_param}});
    const auto& task = created["task"];
    auto task_id = task["taskId"].get<std::string>();
    CHECK(task_id.size() >= 16);
    CHECK(task["status"] == "working");
    CHECK(task["ttl"] == 60000);
    CHECK(task.contains("createdAt"));
    REQUIRE(events->wait("gate:started"));
    CHECK(c.call("tasks/get", {{"taskId", task_id}})["status"] == "working");
    // tasks/result blocks until the task ends, without blocking the session.
    auto result_id = c.request("tasks/result", {{"taskId", task_id}});
    c.barrier();
    CHECK_FALSE(c.wait(test::response_to(result_id), 0, test::settle));
    events->push("gate:release");
    auto r = c.await_response(result_id);
    CHECK(r["result"]["content"][0]["text"] == "gate passed");
    CHECK(r["result"]["_meta"]["io.modelcontextprotocol/related-task"] ==
          json{{"taskId", task_id}});
    CHECK(c.call("tasks/get", {{"taskId", task_id}})["status"] == "completed");
  }

  TEST_CASE_FIXTURE(task_fixture, "an isError result makes the task failed") {
    events->push("gate:fail");
    events->push("gate:release");
    auto c = connect();
    c.initialize();
    auto task_id = c.call("tools/call", {{"name", "gate"}, {"task", task_param}})["task"]["taskId"];
    auto r = c.call("tasks/result", {{"taskId", task_id}});
    CHECK(r["isError"] == true);
    CHECK(c.call("tasks/get", {{"taskId", task_id}})["status"] == "failed");
  }

  TEST_CASE_FIXTURE(task_fixture, "tasks/cancel cancels before answering and stops the handler") {
    auto c = connect();
    c.initialize();
    auto task_id = c.call("tools/call", {{"name", "gate"}, {"task", task_param}})["task"]["taskId"];
    REQUIRE(events->wait("gate:started"));
    CHECK(c.call("tasks/cancel", {{"taskId", task_id}})["status"] == "cancelled");
    CHECK(events->wait("gate:saw-cancel"));
    CHECK(c.call("tasks/get", {{"taskId", task_id}})["status"] == "cancelled");
    // Terminal tasks cannot be cancelled again.
    CHECK(c.call_error("tasks/cancel", {{"taskId", task_id}})["code"] == -32602);
    CHECK(c.call_error("tasks/result", {{"taskId", task_id}})["data"]["reason"] ==
          "task_cancelled");
  }

  TEST_CASE_FIXTURE(task_fixture, "tasks are scoped to their session and unknown ids are -32602") {
    auto a = connect("session-a");
    auto b = connect("session-b");
    a.initialize();
    b.initialize();
    events->push("gate:release");
    auto task_id = a.call("tools/call", {{"name", "gate"}, {"task", task_param}})["task"]["taskId"];
    CHECK(a.call("tasks/list")["tasks"].size() == 1);
    CHECK(b.call("tasks/list")["tasks"].empty());
    CHECK(b.call_error("tasks/get", {{"taskId", task_id}})["code"] == -32602);
    CHECK(a.call_error("tasks/get", {{"taskId", "no-such-task"}})["code"] == -32602);
    CHECK(a.call_error("tasks/get", json::object())["code"] == -32602);
    CHECK(a.call_error("tasks/list", {{"cursor", "bogus"}})["code"] == -32602);
  }

  TEST_CASE_FIXTURE(task_fixture, "taskSupport is enforced: forbidden with a task and required "
                                  "without one are -32601") {
    add_gate_tool("plain", mcp::task_support::forbidden);
    add_gate_tool("only_task", mcp::task_support::required);
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("tools/call", {{"name", "plain"}, {"task", task_param}})["code"] == -32601);
    CHECK(c.call_error("tools/call", {{"name", "only_task"}})["code"] == -32601);
    auto listed = c.call("tools/list")["tools"];
    for (const auto& t : listed)
      if (t["name"] == "only_task")
        CHECK(t["execution"] == json{{"taskSupport", "required"}});
  }

  TEST_CASE_FIXTURE(task_fixture, "a task waiting for its client is input_required and its "
                                  "request carries the related-task _meta") {
    add_ask_tool();
    auto c = connect();
    c.initialize("2025-11-25", {{"sampling", json::object()}});
    auto task_id = c.call("tools/call", {{"name", "ask"}, {"task", task_param}})["task"]["taskId"];
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    CHECK(req->msg["params"]["_meta"]["io.modelcontextprotocol/related-task"] ==
          json{{"taskId", task_id}});
    CHECK(req->related.empty());
    auto until = std::chrono::steady_clock::now() + test::deadline;
    std::string status;
    while (status != "input_required" && std::chrono::steady_clock::now() < until)
      status = c.call("tasks/get", {{"taskId", task_id}})["status"];
    CHECK(status == "input_required");
    c.respond(req->msg["id"],
              {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "x"}}}});
    CHECK(c.call("tasks/result", {{"taskId", task_id}})["content"][0]["text"] == "got it");
  }

  TEST_CASE_FIXTURE(task_fixture, "notifications/tasks/status follows each transition, only "
                                  "to the owning session") {
    auto c = connect("owner");
    auto other = connect("bystander");
    c.initialize();
    other.initialize();
    auto is_status = [](const std::string& task_id, const std::string& status) {
      return [task_id, status](const test::out_msg& m) {
        return m.msg.value("method", "") == "notifications/tasks/status" &&
               m.msg["params"]["taskId"] == task_id && m.msg["params"]["status"] == status;
      };
    };
    auto done_id = c.call("tools/call", {{"name", "gate"}, {"task", task_param}})["task"]["taskId"]
                       .get<std::string>();
    REQUIRE(events->wait("gate:started"));
    events->push("gate:release");
    auto done = c.wait(is_status(done_id, "completed"));
    REQUIRE(done);
    // The params are the Task itself.
    CHECK(done->msg["params"].contains("createdAt"));
    CHECK(done->msg["params"].contains("lastUpdatedAt"));
    CHECK(done->msg["params"]["ttl"] == 60000);
    CHECK(done->related.empty());

    add_gate_tool("slow", mcp::task_support::optional);
    auto cancel_id =
        c.call("tools/call", {{"name", "slow"}, {"task", task_param}})["task"]["taskId"]
            .get<std::string>();
    REQUIRE(events->wait("slow:started"));
    c.call("tasks/cancel", {{"taskId", cancel_id}});
    CHECK(c.wait(is_status(cancel_id, "cancelled")));
    CHECK(events->wait("slow:saw-cancel"));
    other.barrier();
    for (const auto& m : other.log().snapshot())
      CHECK(m.msg.value("method", "") != "notifications/tasks/status");
  }

  TEST_CASE_FIXTURE(task_fixture, "input_required and back to working are announced") {
    add_ask_tool();
    auto c = connect();
    c.initialize("2025-11-25", {{"sampling", json::object()}});
    auto task_id = c.call("tools/call", {{"name", "ask"}, {"task", task_param}})["task"]["taskId"];
    auto status = [&](const std::string& s, size_t from = 0) {
      return c.log().wait_index(
          [&](const test::out_msg& m) {
            return m.msg.value("method", "") == "notifications/tasks/status" &&
                   m.msg["params"]["taskId"] == task_id && m.msg["params"]["status"] == s;
          },
          from);
    };
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    auto waiting = status("input_required");
    REQUIRE(waiting);
    c.respond(req->msg["id"],
              {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "x"}}}});
    auto working = status("working", *waiting);
    REQUIRE(working);
    CHECK(status("completed", *working));
  }

  TEST_CASE_FIXTURE(task_fixture, "a requested ttl is kept, capped at the maximum, and an "
                                  "expired task is gone") {
    events->push("gate:release");
    auto c = connect();
    c.initialize();
    auto capped = c.call("tools/call", {{"name", "gate"}, {"task", {{"ttl", 999999999}}}});
    CHECK(capped["task"]["ttl"] == 120000);
    auto defaulted = c.call("tools/call", {{"name", "gate"}, {"task", json::object()}});
    CHECK(defaulted["task"]["ttl"].is_number_integer());
    CHECK(defaulted["task"]["ttl"].get<int64_t>() > 0);
    for (const auto& created : {capped, defaulted})
      c.call("tasks/result", {{"taskId", created["task"]["taskId"]}});
    auto short_lived =
        c.call("tools/call", {{"name", "gate"}, {"task", {{"ttl", 50}}}})["task"]["taskId"];
    CHECK(c.call("tasks/result", {{"taskId", short_lived}})["content"][0]["text"] == "gate passed");
    // Past its ttl the sweep removes it: unknown from then on.
    caf::scoped_actor self{sys};
    auto until = std::chrono::steady_clock::now() + test::deadline;
    json err;
    while (std::chrono::steady_clock::now() < until) {
      self->request(manager, test::deadline, svc::tk_sweep_atom::value)
          .receive([](std::size_t) {}, [](caf::error&) {});
      auto r = c.await_response(c.request("tasks/get", {{"taskId", short_lived}}));
      if (r.contains("error")) {
        err = r["error"];
        break;
      }
      std::this_thread::sleep_for(20ms);
    }
    CHECK(err["code"] == -32602);
  }

  TEST_CASE_FIXTURE(task_fixture, "concurrent tasks per session are bounded") {
    auto c = connect();
    c.initialize();
    std::vector<json> ids;
    for (int i = 0; i < 3; ++i)
      ids.push_back(
          c.call("tools/call", {{"name", "gate"}, {"task", task_param}})["task"]["taskId"]);
    auto refused = c.call_error("tools/call", {{"name", "gate"}, {"task", task_param}});
    CHECK(refused["code"] == -32000);
    CHECK(refused["data"]["reason"] == "too_many_tasks");
    // The handlers use the fixture: let them all finish before it goes.
    events->push("gate:release");
    for (const auto& id : ids)
      CHECK(c.call("tasks/result", {{"taskId", id}})["content"][0]["text"] == "gate passed");
  }

  TEST_CASE_FIXTURE(task_fixture, "notifications/cancelled does not reach a task-augmented "
                                  "request, tasks/cancel does") {
    auto c = connect();
    c.initialize();
    auto id = c.request("tools/call", {{"name", "gate"}, {"task", task_param}});
    auto task_id = c.await_response(id)["result"]["task"]["taskId"];
    REQUIRE(events->wait("gate:started"));
    c.notify("notifications/cancelled", {{"requestId", id}});
    c.barrier();
    CHECK_FALSE(events->wait("gate:saw-cancel", test::settle));
    CHECK(c.call("tasks/get", {{"taskId", task_id}})["status"] == "working");
    c.call("tasks/cancel", {{"taskId", task_id}});
    CHECK(events->wait("gate:saw-cancel"));
  }

  TEST_CASE_FIXTURE(test::fixture, "without a task backend params.task is ignored") {
    add_text_tool("x", "plain result");
    auto c = connect();
    CHECK_FALSE(c.initialize()["capabilities"].contains("tasks"));
    auto r = c.call("tools/call", {{"name", "x"}, {"task", task_param}});
    CHECK(r["content"][0]["text"] == "plain result");
    CHECK(c.call_error("tasks/get", {{"taskId", "t"}})["code"] == -32601);
  }

  TEST_CASE_FIXTURE(task_fixture, "a closed session cancels its running tasks") {
    auto c = connect();
    c.initialize();
    auto task_id = c.call("tools/call", {{"name", "gate"}, {"task", task_param}})["task"]["taskId"]
                       .get<std::string>();
    REQUIRE(events->wait("gate:started"));
    caf::anon_send(c.server(), mcp::session_close_atom::value);
    CHECK(events->wait("gate:saw-cancel"));
    caf::scoped_actor self{sys};
    auto until = std::chrono::steady_clock::now() + test::deadline;
    bool cancelled = false;
    while (!cancelled && std::chrono::steady_clock::now() < until)
      self->request(manager, test::deadline, svc::tk_get_atom::value, std::string{"test-session"},
                    task_id)
          .receive(
              [&](svc::task_record& rec) { cancelled = rec.status == svc::task_status::cancelled; },
              [](caf::error&) {});
    CHECK(cancelled);
  }
}

TEST_SUITE("checklist 4 - resources: the node's subscription service") {

  TEST_CASE_FIXTURE(test::fixture, "subscriptions through resource_subscriptions reach the "
                                   "client") {
    auto ref = std::make_shared<svc::service_ref>();
    svc::resource_settings settings;
    settings.ref = ref;
    auto service = sys.spawn(svc::resource_subscriptions,
                             std::make_shared<svc::subscription_store>(), settings);
    auto until = std::chrono::steady_clock::now() + test::deadline;
    while (!ref->get() && std::chrono::steady_clock::now() < until)
      std::this_thread::yield();
    REQUIRE(ref->get());
    config->subscriptions = std::make_shared<mcp::service_subscriptions>(ref);
    features().declare(mcp::feature_kind::resources);
    auto c = connect();
    c.initialize();
    c.call("resources/subscribe", {{"uri", "test://watched-resource"}});
    caf::scoped_actor self{sys};
    // The subscription is recorded asynchronously: notify until it lands.
    std::optional<test::out_msg> update;
    while (!update && std::chrono::steady_clock::now() < until) {
      self->send(service, svc::rs_notify_atom::value, std::string{"test://watched-resource"});
      update = c.wait(test::method_is("notifications/resources/updated"), 0, 50ms);
    }
    REQUIRE(update);
    CHECK(update->msg["params"]["uri"] == "test://watched-resource");
    caf::anon_send_exit(service, caf::exit_reason::kill);
  }
}
