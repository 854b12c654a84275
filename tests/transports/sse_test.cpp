// Legacy HTTP+SSE (2024-11-05): GET /sse, POST /messages?sessionId=...

#include "fixture.hpp"

using namespace cafmcp::test;

namespace {

const std::vector<std::pair<std::string, std::string>> json_post = {
    {"Content-Type", "application/json"}};

} // namespace

TEST_CASE_FIXTURE(
    transport_fixture,
    "sse: GET /sse announces the endpoint and POSTs get 202 with answers on the stream") {
  auto st = start(http_config());
  http_client s{st.port};
  REQUIRE(s.send("GET", "/sse", {{"Accept", "text/event-stream"}}));
  auto head = s.read_head();
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->header("content-type") == "text/event-stream");
  auto endpoint = s.next_event();
  REQUIRE(endpoint);
  CHECK(endpoint->event == "endpoint");
  CHECK(endpoint->data == "/messages?sessionId=" + world->last_session());
  CHECK(world->count("open:3") == 1); // transport_kind::sse
  http_client p{st.port};
  REQUIRE(p.send("POST", endpoint->data, json_post, initialize()));
  auto r = p.read_response();
  REQUIRE(r);
  CHECK(r->status == 202);
  auto ev = s.next_event();
  REQUIRE(ev);
  CHECK(ev->event == "message");
  CHECK(parse(ev->data)["id"] == 1);
  REQUIRE(p.send("POST", endpoint->data, json_post, request(2, "progress")));
  CHECK(p.read_response()->status == 202);
  ev = s.next_event();
  REQUIRE(ev);
  CHECK(parse(ev->data)["method"] == "notifications/progress");
  ev = s.next_event();
  REQUIRE(ev);
  CHECK(parse(ev->data)["id"] == 2);
  // Closing the stream ends the session.
  auto sid = world->last_session();
  s.raw().shutdown_write();
  CHECK(world->wait_count("close:" + sid, 1));
  CHECK(eventually([&] {
    http_client q{st.port};
    q.send("POST", endpoint->data, json_post, request(3, "echo"));
    auto res = q.read_response();
    return res && res->status == 404;
  }));
}

TEST_CASE_FIXTURE(transport_fixture, "sse: a missing or unknown sessionId gives 400 or 404") {
  auto st = start(http_config());
  http_client p{st.port};
  REQUIRE(p.send("POST", "/messages", json_post, request(1, "echo")));
  auto r = p.read_response();
  REQUIRE(r);
  CHECK(r->status == 400);
  REQUIRE(p.send("POST", "/messages?sessionId=nope", json_post, request(1, "echo")));
  r = p.read_response();
  REQUIRE(r);
  CHECK(r->status == 404);
  REQUIRE(p.send("GET", "/messages?sessionId=nope"));
  r = p.read_response();
  REQUIRE(r);
  CHECK(r->status == 405);
  REQUIRE(p.send("GET", "/sse", {{"Origin", "http://evil.example"}}));
  r = p.read_response();
  REQUIRE(r);
  CHECK(r->status == 403);
}

TEST_CASE_FIXTURE(transport_fixture, "sse: an idle legacy SSE stream gets keepalive comments") {
  auto cfg = http_config();
  cfg.sse_keepalive = std::chrono::milliseconds{100};
  auto st = start(cfg);
  http_client s{st.port};
  REQUIRE(s.send("GET", "/sse", {{"Accept", "text/event-stream"}}));
  REQUIRE(s.read_head());
  auto endpoint = s.next_event();
  REQUIRE(endpoint);
  CHECK(endpoint->event == "endpoint");
  // Comments are not events: read the raw bytes.
  int comments = 0;
  CHECK(eventually([&] {
    s.raw().fill(std::chrono::milliseconds{50});
    auto& buf = s.raw().buffer();
    for (auto at = buf.find(": keepalive"); at != std::string::npos;
         at = buf.find(": keepalive", at + 1))
      ++comments;
    buf.clear();
    return comments >= 2;
  }));
}
