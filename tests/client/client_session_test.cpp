// A whole MCP session through the client over each network transport the
// node serves: initialize, tools/list, tools/call, log and progress
// notifications, sampling and elicitation answered by callbacks.

#include "support.hpp"

using namespace client_test;

namespace {

// Client callbacks that record notifications and answer sampling and
// elicitation the way a user would.
cl::client_config with_handlers(cl::client_config c, std::shared_ptr<notification_log> log) {
  c.handlers.notification = [log](const std::string& method, const json& params) {
    log->push(method, params);
  };
  c.handlers.sampling = [log](const json& params, cl::responder reply) {
    log->push("sampling/createMessage", params);
    auto prompt = params["messages"][0]["content"]["text"].get<std::string>();
    reply.result({{"role", "assistant"},
                  {"content", {{"type", "text"}, {"text", "echo of " + prompt}}},
                  {"model", "test-model"},
                  {"stopReason", "endTurn"}});
  };
  c.handlers.elicitation = [log](const json& params, cl::responder reply) {
    log->push("elicitation/create", params);
    // Answered from another thread, later: handlers may be asynchronous.
    std::thread{[reply] {
      reply.result({{"action", "accept"},
                    {"content", {{"username", "alice"}, {"email", "alice@example.org"}}}});
    }}.detach();
  };
  return c;
}

std::string first_text(const json& result) {
  return result.at("content").at(0).at("text").get<std::string>();
}

void full_session(node_fixture& f, cl::client_transport kind) {
  auto log = std::make_shared<notification_log>();
  cl::blocking_client c{f.sys, f.io, with_handlers(f.config_for(kind), log)};

  auto info = c.connect();
  REQUIRE_MESSAGE(info, f.sys.render(info.error()));
  CHECK(info->protocol_version == "2025-11-25");
  CHECK(info->server_info.contains("name"));
  CHECK(info->capabilities.contains("tools"));
  if (kind == cl::client_transport::http || kind == cl::client_transport::sse) {
    // The id the server gave is the node's session id.
    REQUIRE(!info->session_id.empty());
    CHECK(f.node->state().routes->find(info->session_id));
  } else {
    CHECK(info->session_id.empty());
  }

  auto list = c.call("tools/list");
  REQUIRE_MESSAGE(list.ok(), cl::to_string(*list.failure));
  bool found = false;
  for (auto& t : list.result.at("tools"))
    found = found || t.at("name") == "test_simple_text";
  CHECK(found);

  auto simple = c.call("tools/call", {{"name", "test_simple_text"}});
  REQUIRE_MESSAGE(simple.ok(), cl::to_string(*simple.failure));
  CHECK(first_text(simple.result) == "This is a simple text response for testing.");

  // Log messages reach the client while the call runs.
  REQUIRE(c.call("logging/setLevel", {{"level", "debug"}}).ok());
  auto logged = c.call("tools/call", {{"name", "test_tool_with_logging"}});
  REQUIRE_MESSAGE(logged.ok(), cl::to_string(*logged.failure));
  CHECK(log->wait_count("notifications/message", 3));

  // Progress notifications carry our token.
  auto progress = c.call(
      "tools/call", {{"name", "test_tool_with_progress"}, {"_meta", {{"progressToken", "tok-1"}}}});
  REQUIRE_MESSAGE(progress.ok(), cl::to_string(*progress.failure));
  REQUIRE(log->wait_count("notifications/progress", 3));
  auto ps = log->of("notifications/progress");
  CHECK(ps.front().second.at("progressToken") == "tok-1");
  CHECK(ps.back().second.at("progress") == 100);

  // Sampling and elicitation: the server asks, our callbacks answer.
  auto sampled = c.call("tools/call",
                        {{"name", "test_sampling"}, {"arguments", {{"prompt", "What is 2+2?"}}}});
  REQUIRE_MESSAGE(sampled.ok(), cl::to_string(*sampled.failure));
  CHECK(first_text(sampled.result) == "LLM response: echo of What is 2+2?");

  auto elicited = c.call(
      "tools/call", {{"name", "test_elicitation"}, {"arguments", {{"message", "Who are you?"}}}});
  REQUIRE_MESSAGE(elicited.ok(), cl::to_string(*elicited.failure));
  auto text = first_text(elicited.result);
  CHECK(text.find("action=accept") != std::string::npos);
  CHECK(text.find("alice@example.org") != std::string::npos);
  CHECK(log->of("elicitation/create").at(0).second.at("message") == "Who are you?");

  // A JSON-RPC error is a value, and the session goes on.
  auto unknown = c.call("no/such/method");
  REQUIRE(!unknown.ok());
  CHECK(unknown.failure->kind == cl::client_errc::rpc_error);
  CHECK(unknown.failure->rpc_code == -32601);
  auto ping = c.call("ping");
  CHECK(ping.ok());
  c.close();
}

} // namespace

TEST_CASE_FIXTURE(node_fixture, "client: a full session over Streamable HTTP") {
  full_session(*this, cl::client_transport::http);
}

TEST_CASE_FIXTURE(node_fixture, "client: a full session over legacy HTTP+SSE") {
  full_session(*this, cl::client_transport::sse);
}

TEST_CASE_FIXTURE(node_fixture, "client: a full session over WebSocket") {
  full_session(*this, cl::client_transport::websocket);
}

TEST_CASE_FIXTURE(node_fixture, "client: a full session over TCP") {
  full_session(*this, cl::client_transport::tcp);
}

TEST_CASE_FIXTURE(node_fixture, "client: Streamable HTTP with the standalone GET stream") {
  auto cfg = config_for(cl::client_transport::http);
  cfg.open_get_stream = true;
  cl::blocking_client c{sys, io, cfg};
  REQUIRE(c.connect());
  auto r = c.call("tools/call", {{"name", "test_simple_text"}});
  CHECK(r.ok());
}

TEST_CASE_FIXTURE(node_fixture, "client: many clients share one io thread") {
  // 200 sessions, every call in flight at once, answered by callbacks.
  constexpr int n = 200;
  std::vector<std::unique_ptr<cl::blocking_client>> clients;
  for (int i = 0; i < n; ++i) {
    auto kind = i % 2 == 0 ? cl::client_transport::tcp : cl::client_transport::http;
    clients.push_back(std::make_unique<cl::blocking_client>(sys, io, config_for(kind)));
    auto info = clients.back()->connect();
    REQUIRE_MESSAGE(info, sys.render(info.error()));
  }
  std::mutex mtx;
  std::condition_variable cv;
  int ok = 0;
  int failed = 0;
  for (auto& c : clients)
    cl::async_call(c->handle(), cl::call_spec{"tools/call", {{"name", "test_simple_text"}}, {}},
                   [&](cl::call_outcome out) {
                     std::lock_guard<std::mutex> guard{mtx};
                     ++(out.ok() ? ok : failed);
                     cv.notify_all();
                   });
  std::unique_lock<std::mutex> guard{mtx};
  CHECK(cv.wait_for(guard, deadline, [&] { return ok + failed == n; }));
  CHECK(ok == n);
  guard.unlock();
  clients.clear();
}

TEST_CASE_FIXTURE(node_fixture, "client: roots/list is answered by the roots handler") {
  for (auto kind : {cl::client_transport::http, cl::client_transport::tcp}) {
    CAPTURE(cl::to_string(kind));
    auto cfg = config_for(kind);
    cfg.handlers.roots = [](const json&, cl::responder reply) {
      reply.result({{"roots", {{{"uri", "file:///work/project"}, {"name", "project"}}}}});
    };
    cl::blocking_client c{sys, io, cfg};
    REQUIRE(c.connect());
    auto r = c.call("tools/call", {{"name", "client_test_roots"}});
    REQUIRE_MESSAGE(r.ok(), cl::to_string(*r.failure));
    auto text = r.result.at("content").at(0).at("text").get<std::string>();
    CHECK(text.find("file:///work/project") != std::string::npos);
  }
}

TEST_CASE_FIXTURE(node_fixture,
                  "client: list_changed arrives on the standalone GET stream and on TCP") {
  for (auto kind : {cl::client_transport::http, cl::client_transport::tcp}) {
    CAPTURE(cl::to_string(kind));
    auto log = std::make_shared<notification_log>();
    auto cfg = config_for(kind);
    cfg.open_get_stream = true; // Streamable HTTP: unrelated messages come there
    cfg.handlers.notification = [log](const std::string& method, const json& params) {
      log->push(method, params);
    };
    cl::blocking_client c{sys, io, cfg};
    REQUIRE(c.connect());
    REQUIRE(c.call("tools/list").ok());
    // The GET stream opens asynchronously after initialize: keep changing
    // the tool list until a notification arrives (each change notifies).
    bool seen = false;
    auto until = std::chrono::steady_clock::now() + deadline;
    for (int i = 0; !seen && std::chrono::steady_clock::now() < until; ++i) {
      mcp::tool_definition t;
      t.name = "client_test_added_" + cl::to_string(kind) + std::to_string(i);
      t.description = "added at runtime";
      t.input_schema = {{"type", "object"}};
      t.handler = [](const json&, mcp::call_context&) { return json{{"content", json::array()}}; };
      REQUIRE(server->features->add_tool(std::move(t)));
      seen = log->wait_count("notifications/tools/list_changed", 1, 500ms);
    }
    CHECK(seen);
  }
}
