// Failures are values: refused connections, HTTP errors, a killed session,
// timeouts, a server dying mid-call and malformed answers each end in a
// clear client_failure, never a hang, and the client can start over.

#include "fake_server.hpp"
#include "support.hpp"

using namespace client_test;

namespace {

const cl::client_transport network_kinds[] = {cl::client_transport::http, cl::client_transport::sse,
                                              cl::client_transport::websocket,
                                              cl::client_transport::tcp};

} // namespace

TEST_CASE_FIXTURE(node_fixture, "client: connection refused on every transport") {
  auto port = unused_port();
  for (auto kind : network_kinds) {
    CAPTURE(cl::to_string(kind));
    auto cfg = config_for(kind);
    cfg.port = port;
    cl::blocking_client c{sys, io, cfg};
    auto info = c.connect();
    REQUIRE(!info);
    CHECK(cl::failure_of(info.error()).kind == cl::client_errc::connection_refused);
    // Requests without a session fail at once.
    auto r = c.call("tools/list");
    REQUIRE(!r.ok());
    CHECK(r.failure->kind == cl::client_errc::not_connected);
  }
}

TEST_CASE_FIXTURE(node_fixture, "client: unknown tool is a JSON-RPC error value") {
  cl::blocking_client c{sys, io, config_for(cl::client_transport::http)};
  REQUIRE(c.connect());
  auto r = c.call("tools/call", {{"name", "no_such_tool"}});
  REQUIRE(!r.ok());
  CHECK(r.failure->kind == cl::client_errc::rpc_error);
  CHECK(r.failure->rpc_code == -32602);
  CHECK(c.call("ping").ok());
}

TEST_CASE_FIXTURE(node_fixture,
                  "client: a killed HTTP session is session_expired, then re-initialize works") {
  cl::blocking_client c{sys, io, config_for(cl::client_transport::http)};
  REQUIRE(c.connect());
  REQUIRE(c.call("ping").ok());
  REQUIRE(kill_sessions() == 1);
  // The node answers 404 once it has noticed the death; until then a call
  // may still see the dying session (-32603). Either way: an error, no hang.
  std::optional<cl::client_failure> last;
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    auto r = c.call("ping");
    if (r.ok())
      continue;
    last = r.failure;
    if (last->kind == cl::client_errc::session_expired)
      break;
  }
  REQUIRE(last);
  CHECK(last->kind == cl::client_errc::session_expired);
  CHECK(last->http_status == 404);
  // The client stays expired until it initializes again.
  CHECK(c.call("ping").failure->kind == cl::client_errc::session_expired);
  auto again = c.connect();
  REQUIRE_MESSAGE(again, sys.render(again.error()));
  auto r = c.call("tools/call", {{"name", "test_simple_text"}});
  CHECK(r.ok());
}

TEST_CASE_FIXTURE(
    node_fixture,
    "client: a killed session on a connection transport is connection_lost, then reconnect works") {
  for (auto kind :
       {cl::client_transport::tcp, cl::client_transport::websocket, cl::client_transport::sse}) {
    CAPTURE(cl::to_string(kind));
    auto log = std::make_shared<notification_log>();
    auto cfg = config_for(kind);
    cfg.handlers.disconnected = [log](const cl::client_failure& f) {
      log->push("disconnected", cl::to_string(f.kind));
    };
    cl::blocking_client c{sys, io, cfg};
    REQUIRE(c.connect());
    REQUIRE(kill_sessions() == 1);
    REQUIRE(log->wait_count("disconnected", 1));
    auto r = c.call("ping");
    REQUIRE(!r.ok());
    CHECK(r.failure->kind == cl::client_errc::not_connected);
    REQUIRE(c.connect());
    CHECK(c.call("ping").ok());
    c.close();
  }
}

TEST_CASE_FIXTURE(
    node_fixture,
    "client: with the standalone GET stream a killed HTTP session is noticed at once") {
  // The server ends the GET stream with the session; the client opens it
  // again, gets 404 and reports the session gone without waiting for a call.
  auto log = std::make_shared<notification_log>();
  auto cfg = config_for(cl::client_transport::http);
  cfg.open_get_stream = true;
  cfg.handlers.disconnected = [log](const cl::client_failure& f) {
    log->push("disconnected", cl::to_string(f.kind));
  };
  cl::blocking_client c{sys, io, cfg};
  REQUIRE(c.connect());
  REQUIRE(c.call("ping").ok());
  REQUIRE(kill_sessions() == 1);
  REQUIRE(log->wait_count("disconnected", 1));
  REQUIRE(c.connect());
  CHECK(c.call("ping").ok());
  c.close();
}

TEST_CASE_FIXTURE(node_fixture, "client: server death mid-call fails the call") {
  for (auto kind : network_kinds) {
    CAPTURE(cl::to_string(kind));
    cl::blocking_client c{sys, io, config_for(kind)};
    REQUIRE(c.connect());
    auto started = tool_events->of("sleep-started").size();
    std::thread killer{[this, started] {
      // Kill once the call is running (the tool sleeps for 3 s).
      if (tool_events->wait_count("sleep-started", started + 1))
        kill_sessions();
    }};
    auto r = c.call("tools/call", {{"name", "client_test_sleep"}, {"arguments", {{"ms", 3000}}}});
    killer.join();
    REQUIRE(!r.ok());
    MESSAGE(cl::to_string(*r.failure));
    CHECK(r.failure->kind != cl::client_errc::timeout);
  }
}

TEST_CASE_FIXTURE(node_fixture, "client: a request timeout fails that request only") {
  for (auto kind : network_kinds) {
    CAPTURE(cl::to_string(kind));
    cl::blocking_client c{sys, io, config_for(kind)};
    REQUIRE(c.connect());
    auto start = std::chrono::steady_clock::now();
    auto r = c.call("tools/call", {{"name", "client_test_sleep"}, {"arguments", {{"ms", 2000}}}},
                    std::chrono::milliseconds{200});
    REQUIRE(!r.ok());
    CHECK(r.failure->kind == cl::client_errc::timeout);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds{1900});
    CHECK(c.call("ping").ok());
  }
}

TEST_CASE_FIXTURE(node_fixture, "client: HTTP error statuses are http_status failures") {
  fake_server fake{"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
                   "Content-Length: 4\r\n\r\nboom",
                   true};
  auto cfg = config_for(cl::client_transport::http);
  cfg.port = fake.port();
  cl::blocking_client c{sys, io, cfg};
  auto info = c.connect();
  REQUIRE(!info);
  auto f = cl::failure_of(info.error());
  CHECK(f.kind == cl::client_errc::http_status);
  CHECK(f.http_status == 500);
  CHECK(f.message.find("boom") != std::string::npos);
}

TEST_CASE_FIXTURE(node_fixture, "client: a malformed answer is malformed_response") {
  // Valid JSON with our id, but neither result nor error.
  fake_server fake{"{\"jsonrpc\":\"2.0\",\"id\":1}\n", false};
  auto cfg = config_for(cl::client_transport::tcp);
  cfg.port = fake.port();
  cl::blocking_client c{sys, io, cfg};
  auto info = c.connect();
  REQUIRE(!info);
  CHECK(cl::failure_of(info.error()).kind == cl::client_errc::malformed_response);
}

TEST_CASE_FIXTURE(node_fixture, "client: a silent server is a connect timeout") {
  fake_server fake{"", false}; // reads, never answers
  auto cfg = config_for(cl::client_transport::tcp);
  cfg.port = fake.port();
  cfg.connect_timeout = std::chrono::milliseconds{300};
  cl::blocking_client c{sys, io, cfg};
  auto info = c.connect();
  REQUIRE(!info);
  CHECK(cl::failure_of(info.error()).kind == cl::client_errc::timeout);
}

TEST_CASE_FIXTURE(node_fixture, "client: close fails pending calls and ends the actor") {
  auto cfg = config_for(cl::client_transport::tcp);
  auto c = cl::spawn_client(sys, io, cfg);
  caf::expected<cl::session_info> info{caf::error{}};
  self->request(c, deadline, cl::connect_atom::value)
      .receive([&](cl::session_info& s) { info = s; }, [&](caf::error& e) { info = e; });
  REQUIRE(info);
  std::mutex mtx;
  std::condition_variable cv;
  std::optional<cl::call_outcome> got;
  cl::async_call(c,
                 cl::call_spec{"tools/call",
                               {{"name", "client_test_sleep"}, {"arguments", {{"ms", 2000}}}},
                               {}},
                 [&](cl::call_outcome out) {
                   std::lock_guard<std::mutex> guard{mtx};
                   got = std::move(out);
                   cv.notify_all();
                 });
  self->request(c, deadline, cl::close_atom::value).receive([] {}, [](caf::error&) {});
  {
    std::unique_lock<std::mutex> guard{mtx};
    REQUIRE(cv.wait_for(guard, deadline, [&] { return got.has_value(); }));
    CHECK(got->failure->kind == cl::client_errc::closed);
  }
  self->wait_for(c);
}
