// Streamable HTTP details the node does not exercise on its own: resuming a
// stream the server closed before the answer (GET + Last-Event-ID), the
// session headers on every request, and DELETE on close.

#include <algorithm>
#include <cctype>

#include "fake_server.hpp"
#include "support.hpp"

using namespace client_test;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string json_response(const std::string& body, const std::string& extra_headers = {}) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string sse_response(const std::string& events) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
         std::to_string(events.size()) + "\r\n\r\n" + events;
}

} // namespace

TEST_CASE_FIXTURE(
    node_fixture,
    "client: a Streamable HTTP stream closed before the answer is resumed with Last-Event-ID") {
  std::string init = R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25",)"
                     R"("capabilities":{"tools":{}},"serverInfo":{"name":"fake","version":"1"}}})";
  std::vector<fake_server::rule> rules{
      // The resumption: the rest of the stream after e1.
      {"GET /mcp", sse_response("id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":"
                                "{\"resumed\":true}}\n\n")},
      {"\"method\":\"initialize\"", json_response(init, "Mcp-Session-Id: s-123\r\n")},
      {"notifications/initialized", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"},
      // The server primes the stream, then closes it (SSE polling).
      {"tools/call",
       "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
       "retry: 10\nid: e1\ndata: \n\n",
       true},
  };
  fake_server fake{rules, true};
  auto cfg = config_for(cl::client_transport::http);
  cfg.port = fake.port();
  cl::blocking_client c{sys, io, cfg};
  auto info = c.connect();
  REQUIRE_MESSAGE(info, sys.render(info.error()));
  CHECK(info->server_info.at("name") == "fake");
  auto r = c.call("tools/call", {{"name", "anything"}});
  REQUIRE_MESSAGE(r.ok(), cl::to_string(*r.failure));
  CHECK(r.result.at("resumed") == true);
  bool resumed = false;
  for (auto& req : fake.received()) {
    auto l = lower(req);
    if (l.rfind("get /mcp", 0) != 0)
      continue;
    resumed = true;
    CHECK(l.find("last-event-id: e1") != std::string::npos);
    CHECK(l.find("mcp-session-id: s-123") != std::string::npos);
    CHECK(l.find("mcp-protocol-version: 2025-11-25") != std::string::npos);
    CHECK(l.find("accept: text/event-stream") != std::string::npos);
  }
  CHECK(resumed);
  // Every POST after initialize carries the session id and the version.
  for (auto& req : fake.received()) {
    auto l = lower(req);
    if (l.rfind("post", 0) == 0 && l.find("\"method\":\"initialize\"") == std::string::npos) {
      CHECK(l.find("mcp-session-id: s-123") != std::string::npos);
      CHECK(l.find("accept: application/json, text/event-stream") != std::string::npos);
    }
  }
}

TEST_CASE_FIXTURE(
    node_fixture,
    "client: a stream that ends without the answer, with nothing to resume, fails the call") {
  std::string init = R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25",)"
                     R"("capabilities":{},"serverInfo":{"name":"fake","version":"1"}}})";
  std::vector<fake_server::rule> rules{
      {"\"method\":\"initialize\"", json_response(init, "Mcp-Session-Id: s-9\r\n")},
      {"notifications/initialized", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"},
      {"tools/call", sse_response("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/"
                                  "message\",\"params\":{\"level\":\"info\",\"data\":\"x\"}}\n\n")},
  };
  fake_server fake{rules, true};
  auto cfg = config_for(cl::client_transport::http);
  cfg.port = fake.port();
  cl::blocking_client c{sys, io, cfg};
  REQUIRE(c.connect());
  auto r = c.call("tools/call", {{"name", "anything"}});
  REQUIRE(!r.ok());
  CHECK(r.failure->kind == cl::client_errc::connection_lost);
}

TEST_CASE_FIXTURE(node_fixture, "client: close DELETEs the Streamable HTTP session") {
  cl::blocking_client c{sys, io, config_for(cl::client_transport::http)};
  REQUIRE(c.connect());
  REQUIRE(c.call("ping").ok());
  REQUIRE(node->state().routes->size() == 1);
  c.close();
  // Without the DELETE the session would live until its idle timeout.
  auto until = std::chrono::steady_clock::now() + deadline;
  while (node->state().routes->size() != 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms); // polling a table without events, bounded
  CHECK(node->state().routes->size() == 0);
}

TEST_CASE_FIXTURE(
    node_fixture,
    "client: a Streamable HTTP client keeps to one connection while notifications are in flight") {
  std::string init = R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25",)"
                     R"("capabilities":{},"serverInfo":{"name":"fake","version":"1"}}})";
  std::vector<fake_server::rule> rules{
      {"\"method\":\"initialize\"", json_response(init, "Mcp-Session-Id: s-1\r\n")},
      // A slow 202: the call below is sent while this is still in flight.
      {"notifications/initialized", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", false,
       100},
      {"\"method\":\"ping\"", json_response(R"({"jsonrpc":"2.0","id":2,"result":{}})")},
  };
  fake_server fake{rules, true};
  auto cfg = config_for(cl::client_transport::http);
  cfg.port = fake.port();
  cl::blocking_client c{sys, io, cfg};
  REQUIRE(c.connect());
  auto r = c.call("ping");
  REQUIRE_MESSAGE(r.ok(), cl::to_string(*r.failure));
  CHECK(fake.requests() == 3);
  CHECK(fake.connections() == 1);
}

TEST_CASE_FIXTURE(node_fixture,
                  "client: a 202 that never comes does not hold back the next request") {
  std::string init = R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25",)"
                     R"("capabilities":{},"serverInfo":{"name":"fake","version":"1"}}})";
  std::vector<fake_server::rule> rules{
      {"\"method\":\"initialize\"", json_response(init, "Mcp-Session-Id: s-1\r\n")},
      {"notifications/initialized", ""}, // read, never answered
      {"\"method\":\"ping\"", json_response(R"({"jsonrpc":"2.0","id":2,"result":{}})")},
  };
  fake_server fake{rules, true};
  auto cfg = config_for(cl::client_transport::http);
  cfg.port = fake.port();
  cl::blocking_client c{sys, io, cfg};
  REQUIRE(c.connect());
  auto r = c.call("ping", nullptr, std::chrono::milliseconds{5000});
  REQUIRE_MESSAGE(r.ok(), cl::to_string(*r.failure));
  CHECK(fake.connections() == 2);
}
