// Streamable HTTP (2025-11-25) at /mcp.

#include "fixture.hpp"
#include "streamable_http.hpp"

using namespace cafmcp::test;

namespace {

json error_of(const http_response& r) {
  return parse(r.body)["error"];
}

} // namespace

TEST_CASE_FIXTURE(transport_fixture,
                  "http: initialize answers JSON with Mcp-Session-Id which later requests need") {
  auto st = start(http_config());
  http_client c{st.port};
  auto res = c.post_mcp(initialize());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->header("content-type") == "application/json");
  auto sid = res->header("mcp-session-id");
  CHECK(sid == world->last_session());
  for (char ch : sid)
    CHECK((ch >= 0x21 && ch <= 0x7e));
  CHECK(parse(res->body)["result"]["protocolVersion"] == "2025-11-25");
  CHECK(world->count("open:2") == 1); // transport_kind::streamable_http
  // Without the header: 400; with an unknown one: 404.
  auto no_sid = c.post_mcp(request(2, "echo"));
  REQUIRE(no_sid);
  CHECK(no_sid->status == 400);
  CHECK(error_of(*no_sid)["code"] == -32000);
  auto bad_sid = c.post_mcp(request(2, "echo"), "not-a-session");
  REQUIRE(bad_sid);
  CHECK(bad_sid->status == 404);
  CHECK(error_of(*bad_sid)["code"] == -32001);
  auto ok = c.post_mcp(request(2, "echo", {{"v", 1}}), sid);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(parse(ok->body)["result"]["v"] == 1);
  // Two Mcp-Session-Id headers: 400.
  auto h = with_session(sid);
  h.emplace_back("Mcp-Session-Id", sid);
  REQUIRE(c.send("POST", "/mcp", h, request(3, "echo")));
  auto twice = c.read_response();
  REQUIRE(twice);
  CHECK(twice->status == 400);
  // initialize carrying a session id: 400.
  auto reinit = c.post_mcp(initialize(9), sid);
  REQUIRE(reinit);
  CHECK(reinit->status == 400);
  CHECK(st.t->http_sessions() == 1);
}

TEST_CASE_FIXTURE(transport_fixture, "http: notifications and responses get 202 without a body") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  CHECK(world->wait_count("notification:notifications/initialized", 1));
  auto res = c.post_mcp(R"({"jsonrpc":"2.0","id":"srv-77","result":{}})", sid);
  REQUIRE(res);
  CHECK(res->status == 202);
  CHECK(res->body.empty());
  CHECK(world->wait_count(R"(response:"srv-77")", 1));
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: a missing MCP-Protocol-Version is accepted and an unsupported one gives 400") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  header_vec h = post_headers;
  h.emplace_back("Mcp-Session-Id", sid);
  REQUIRE(c.send("POST", "/mcp", h, request(2, "echo"))); // assumed 2025-03-26
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  auto old = h;
  old.emplace_back("MCP-Protocol-Version", "2025-03-26");
  REQUIRE(c.send("POST", "/mcp", old, request(3, "echo")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  auto bad = h;
  bad.emplace_back("MCP-Protocol-Version", "1999-01-01");
  REQUIRE(c.send("POST", "/mcp", bad, request(4, "echo")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(error_of(*r)["message"].get<std::string>().find("Unsupported protocol version") !=
        std::string::npos);
  // Also on GET and DELETE.
  REQUIRE(c.send("GET", "/mcp",
                 {{"Accept", "text/event-stream"},
                  {"Mcp-Session-Id", sid},
                  {"MCP-Protocol-Version", "nope"}}));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 400);
  REQUIRE(c.send("DELETE", "/mcp", {{"Mcp-Session-Id", sid}, {"MCP-Protocol-Version", "nope"}}));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 400);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: bad method or Accept or Content-Type or size give 405 or 406 or 415 or 413") {
  auto cfg = http_config();
  cfg.limits.max_message_bytes = 4096;
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  // One request's response, on the same keep-alive connection each time.
  auto response_to = [&](const std::string& method, const header_vec& headers,
                         const std::string& body = {}) {
    REQUIRE(c.send(method, "/mcp", headers, body));
    auto r = c.read_response();
    REQUIRE(r);
    return *r;
  };
  auto put = response_to("PUT", with_session(sid), request(2, "echo"));
  CHECK(put.status == 405);
  CHECK(put.header("allow") == "GET, POST, DELETE");
  CHECK(response_to("POST",
                    with_session(sid, {{"Content-Type", "application/json"},
                                       {"Accept", "application/json"}}),
                    request(3, "echo"))
            .status == 406);
  CHECK(response_to("GET", with_session(sid, {{"Accept", "application/json"}})).status == 406);
  CHECK(response_to("POST",
                    with_session(sid, {{"Content-Type", "text/plain"},
                                       {"Accept", "application/json, text/event-stream"}}),
                    request(4, "echo"))
            .status == 415);
  // Media types are matched ignoring case.
  CHECK(response_to("POST",
                    with_session(sid, {{"Content-Type", "Application/JSON"},
                                       {"Accept", "APPLICATION/json, Text/Event-Stream"}}),
                    request(7, "echo"))
            .status == 200);
  // Still the same keep-alive connection after all of these.
  auto ok = c.post_mcp(request(5, "echo"), sid);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  // Too large: 413 with a JSON-RPC error; the server closes this connection.
  auto large =
      response_to("POST", with_session(sid), request(6, "echo", {{"b", std::string(9000, 'q')}}));
  CHECK(large.status == 413);
  CHECK(error_of(large)["code"] == -32000);
  CHECK(c.raw().wait_closed());
  // Other paths are 404.
  http_client d{st.port};
  REQUIRE(d.send("GET", "/nope"));
  auto r = d.read_response();
  REQUIRE(r);
  CHECK(r->status == 404);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: foreign Host or Origin get 403 while loopback origins pass") {
  auto st = start(http_config());
  http_client c{st.port};
  auto h = post_headers;
  h.emplace_back("Origin", "http://evil.example");
  REQUIRE(c.send("POST", "/mcp", h, initialize()));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(parse(r->body).contains("error"));
  auto h2 = post_headers;
  h2.emplace_back("Host", "evil.example:80");
  REQUIRE(c.send("POST", "/mcp", h2, initialize()));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 403);
  for (std::string origin : {"http://localhost:6274", "http://127.0.0.1", "http://[::1]:3000"}) {
    auto h3 = post_headers;
    h3.emplace_back("Origin", origin);
    REQUIRE(c.send("POST", "/mcp", h3, initialize()));
    r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  for (std::string host : {"localhost", "[::1]:8080"}) {
    auto h4 = post_headers;
    h4.emplace_back("Host", host);
    REQUIRE(c.send("POST", "/mcp", h4, initialize()));
    r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  // Configured lists replace the loopback defaults.
  auto cfg = http_config();
  cfg.origins.allowed_hosts = {"mcp.example.com"};
  cfg.origins.allowed_origins = {"https://app.example.com"};
  auto st2 = start(cfg);
  http_client d{st2.port};
  auto h5 = post_headers;
  h5.emplace_back("Host", "mcp.example.com");
  h5.emplace_back("Origin", "https://app.example.com");
  REQUIRE(d.send("POST", "/mcp", h5, initialize()));
  r = d.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  REQUIRE(d.send("POST", "/mcp", post_headers, initialize())); // Host 127.0.0.1
  r = d.read_response();
  REQUIRE(r);
  CHECK(r->status == 403);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: progress before the result turns the response into SSE with a priming event") {
  auto cfg = http_config();
  cfg.sse_retry = 2500ms;
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  REQUIRE(c.send("POST", "/mcp", with_session(sid), request(2, "progress", {{"p", 1}})));
  auto head = c.read_head();
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->header("content-type") == "text/event-stream");
  CHECK(head->header("mcp-session-id") == sid);
  auto priming = c.next_event();
  REQUIRE(priming);
  CHECK(!priming->id.empty());
  CHECK(priming->data.empty());
  CHECK(priming->retry == 2500);
  auto progress = c.next_event();
  REQUIRE(progress);
  CHECK(progress->event == "message");
  CHECK(parse(progress->data)["method"] == "notifications/progress");
  auto result = c.next_event();
  REQUIRE(result);
  CHECK(parse(result->data)["id"] == 2);
  CHECK(parse(result->data)["result"]["p"] == 1);
  // Event ids are distinct and name the stream.
  CHECK(priming->id != progress->id);
  CHECK(progress->id.substr(0, progress->id.find('-')) ==
        result->id.substr(0, result->id.find('-')));
  // The stream ends after the response; the connection is reused.
  CHECK(!c.next_event());
  CHECK(c.stream_ended());
  auto next = c.post_mcp(request(3, "echo"), sid);
  REQUIRE(next);
  CHECK(next->status == 200);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: the standalone GET stream carries unrelated messages and a second GET gets 409") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  http_client g{st.port};
  auto head = open_get_stream(g, sid);
  CHECK(head.header("content-type") == "text/event-stream");
  auto priming = g.next_event();
  REQUIRE(priming);
  CHECK(priming->data.empty());
  http_client g2{st.port};
  REQUIRE(g2.send("GET", "/mcp", with_session(sid, {{"Accept", "text/event-stream"}})));
  auto conflict = g2.read_response();
  REQUIRE(conflict);
  CHECK(conflict->status == 409);
  // "notify" sends an unrelated notification (GET stream), then its result
  // (on the POST, as JSON: nothing related came first).
  auto res = c.post_mcp(request(2, "notify"), sid);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(parse(res->body)["id"] == 2);
  auto ev = g.next_event();
  REQUIRE(ev);
  CHECK(parse(ev->data)["method"] == "notifications/tools/list_changed");
  // Once the GET stream's client is gone, a new GET is allowed.
  g.raw().shutdown_write();
  CHECK(g.raw().wait_closed());
  CHECK(eventually([&] {
    http_client probe{st.port};
    probe.send("GET", "/mcp", with_session(sid, {{"Accept", "text/event-stream"}}));
    auto h = probe.read_head();
    return h && h->status == 200;
  }));
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: a server to client request rides the POST stream and the answer comes by POST") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  REQUIRE(c.send("POST", "/mcp", with_session(sid), request(2, "ask")));
  auto head = c.read_head();
  REQUIRE(head);
  CHECK(head->header("content-type") == "text/event-stream");
  REQUIRE(c.next_event()); // priming
  auto ask = c.next_event();
  REQUIRE(ask);
  auto q = parse(ask->data);
  CHECK(q["method"] == "roots/list");
  http_client other{st.port};
  auto ack = other.post_mcp(
      json{{"jsonrpc", "2.0"}, {"id", q["id"]}, {"result", {{"roots", json::array()}}}}.dump(),
      sid);
  REQUIRE(ack);
  CHECK(ack->status == 202);
  auto result = c.next_event();
  REQUIRE(result);
  CHECK(parse(result->data)["result"]["answer"]["roots"].is_array());
  CHECK(!c.next_event());
}

TEST_CASE_FIXTURE(transport_fixture, "http: DELETE ends the session and later requests get 404") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  REQUIRE(
      c.send("DELETE", "/mcp", {{"Mcp-Session-Id", sid}, {"MCP-Protocol-Version", "2025-11-25"}}));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(world->wait_count("close:" + sid, 1));
  auto after = c.post_mcp(request(2, "echo"), sid);
  REQUIRE(after);
  CHECK(after->status == 404);
  REQUIRE(c.send("DELETE", "/mcp", {{"Mcp-Session-Id", sid}}));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 404);
  REQUIRE(c.send("DELETE", "/mcp"));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(eventually([&] { return st.t->http_sessions() == 0; }));
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: a dropped SSE stream resumes with Last-Event-ID replaying only that stream") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  // Stream A: progress now, the result in 400 ms. Drop it after the progress.
  {
    http_client a{st.port};
    REQUIRE(a.send("POST", "/mcp", with_session(sid),
                   request(10, "slow", {{"ms", 400}, {"progress", true}})));
    REQUIRE(a.read_head());
    auto priming = a.next_event();
    REQUIRE(priming);
    auto progress = a.next_event();
    REQUIRE(progress);
    CHECK(parse(progress->data)["method"] == "notifications/progress");
    // Stream B runs meanwhile on another connection and completes.
    http_client b{st.port};
    REQUIRE(b.send("POST", "/mcp", with_session(sid), request(11, "progress")));
    REQUIRE(b.read_head());
    int b_events = 0;
    while (b.next_event())
      ++b_events;
    CHECK(b_events == 3);
    // Now resume A from its progress event (a new connection, as after a drop).
    std::string last = progress->id;
    a.raw().shutdown_write();
    CHECK(a.raw().wait_closed());
    http_client r{st.port};
    REQUIRE(r.send("GET", "/mcp",
                   with_session(sid, {{"Accept", "text/event-stream"}, {"Last-Event-ID", last}})));
    auto head = r.read_head();
    REQUIRE(head);
    CHECK(head->status == 200);
    auto ev = r.next_event();
    REQUIRE(ev);
    auto msg = parse(ev->data);
    CHECK(msg["id"] == 10); // A's result, never B's messages
    CHECK(msg["result"]["ms"] == 400);
    CHECK(!r.next_event());
    CHECK(r.stream_ended());
    // Resuming again from the priming id replays progress and result.
    http_client r2{st.port};
    REQUIRE(r2.send(
        "GET", "/mcp",
        with_session(sid, {{"Accept", "text/event-stream"}, {"Last-Event-ID", priming->id}})));
    REQUIRE(r2.read_head());
    auto e1 = r2.next_event();
    auto e2 = r2.next_event();
    REQUIRE(e1);
    REQUIRE(e2);
    CHECK(parse(e1->data)["method"] == "notifications/progress");
    CHECK(parse(e2->data)["id"] == 10);
    CHECK(!r2.next_event());
  }
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: resuming attaches to a stream that is still open and gets its rest live") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  http_client a{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid),
                 request(20, "slow", {{"ms", 800}, {"progress", true}})));
  REQUIRE(a.read_head());
  auto priming = a.next_event();
  REQUIRE(priming);
  a.raw().shutdown_write();
  CHECK(a.raw().wait_closed());
  http_client r{st.port};
  REQUIRE(
      r.send("GET", "/mcp",
             with_session(sid, {{"Accept", "text/event-stream"}, {"Last-Event-ID", priming->id}})));
  REQUIRE(r.read_head());
  auto progress = r.next_event(); // replayed
  REQUIRE(progress);
  CHECK(parse(progress->data)["method"] == "notifications/progress");
  auto result = r.next_event(); // live, once the server answers
  REQUIRE(result);
  CHECK(parse(result->data)["id"] == 20);
  CHECK(!r.next_event());
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: an unknown Last-Event-ID or lost history fails closed with 400") {
  auto cfg = http_config();
  cfg.event_store_max_events_per_stream = 3;
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  http_client r{st.port};
  REQUIRE(r.send("GET", "/mcp",
                 with_session(sid, {{"Accept", "text/event-stream"}, {"Last-Event-ID", "77-3"}})));
  auto res = r.read_response();
  REQUIRE(res);
  CHECK(res->status == 400);
  // 10 related messages on one stream with room for 3: resuming from the
  // priming event would skip history, so it is refused.
  REQUIRE(
      c.send("POST", "/mcp", with_session(sid), request(2, "flood", {{"n", 10}, {"size", 10}})));
  REQUIRE(c.read_head());
  auto priming = c.next_event();
  REQUIRE(priming);
  while (c.next_event())
    ;
  REQUIRE(
      r.send("GET", "/mcp",
             with_session(sid, {{"Accept", "text/event-stream"}, {"Last-Event-ID", priming->id}})));
  res = r.read_response();
  REQUIRE(res);
  CHECK(res->status == 400);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "http: server actor death answers in-flight requests and the session becomes 404") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  http_client a{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid), request(2, "slow", {{"ms", 60000}})));
  REQUIRE(world->wait_count("in:slow", 1));
  caf::anon_send_exit(world->server(sid), caf::exit_reason::kill);
  auto res = a.read_response();
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(parse(res->body)["id"] == 2);
  CHECK(error_of(*res)["code"] == -32603);
  CHECK(eventually([&] {
    auto r = c.post_mcp(request(3, "echo"), sid);
    return r && r->status == 404;
  }));
  // A fresh initialize works at once.
  http_client d{st.port};
  auto again = d.post_mcp(initialize());
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(again->header("mcp-session-id") != sid);
}

TEST_CASE_FIXTURE(transport_fixture, "http: parse errors and batches are answered with 400") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  auto r = c.post_mcp("{not json", sid);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(error_of(*r)["code"] == -32700);
  r = c.post_mcp("[" + request(1, "echo") + "]", sid);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(error_of(*r)["code"] == -32600);
  r = c.post_mcp(R"({"jsonrpc":"2.0"})", sid);
  REQUIRE(r);
  CHECK(r->status == 400);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: a request header that dribbles in is cut off by the header timeout") {
  auto cfg = http_config();
  cfg.limits.header_timeout = 400ms;
  auto st = start(cfg);
  http_client c{st.port};
  auto t0 = std::chrono::steady_clock::now();
  bool closed = false;
  REQUIRE(c.raw().write("POST /mcp HTTP/1.1\r\n"));
  for (int i = 0; i < 40 && !closed; ++i) {
    c.raw().write("X-Slow: 1\r\n");
    closed = c.raw().wait_closed(100ms);
  }
  CHECK(closed);
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took >= 350ms);
  CHECK(took < 3s);
}

TEST_CASE_FIXTURE(transport_fixture, "http: idle keep-alive connections are closed") {
  auto cfg = http_config();
  cfg.limits.idle_timeout = 300ms;
  auto st = start(cfg);
  http_client c{st.port};
  open_session(c);
  CHECK(c.raw().wait_closed(5s));
}

TEST_CASE_FIXTURE(transport_fixture, "http: connections over the limit get 503") {
  auto cfg = http_config();
  cfg.limits.max_connections = 1;
  auto st = start(cfg);
  http_client a{st.port};
  open_session(a);
  http_client b{st.port};
  auto r = b.read_response();
  REQUIRE(r);
  CHECK(r->status == 503);
}

TEST_CASE_FIXTURE(transport_fixture, "http: the broker at capacity makes initialize a 503") {
  auto st = start(http_config());
  world->set_capacity(0);
  http_client c{st.port};
  auto r = c.post_mcp(initialize());
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(parse(r->body)["id"] == 1);
  CHECK(!r->has("mcp-session-id"));
}

TEST_CASE_FIXTURE(transport_fixture, "http: the server ending the session makes it 404") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  auto r = c.post_mcp(request(2, "bye"), sid);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(error_of(*r)["code"] == -32603);
  r = c.post_mcp(request(3, "echo"), sid);
  REQUIRE(r);
  CHECK(r->status == 404);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: concurrent streams of one session each get exactly their own messages") {
  auto st = start(http_config());
  http_client c{st.port};
  auto sid = open_session(c);
  http_client g{st.port};
  open_get_stream(g, sid);
  REQUIRE(g.next_event()); // priming
  http_client a{st.port}, b{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid),
                 request(31, "slow", {{"ms", 300}, {"progress", true}})));
  REQUIRE(b.send("POST", "/mcp", with_session(sid),
                 request(32, "slow", {{"ms", 100}, {"progress", true}})));
  auto n = c.post_mcp(request(33, "notify"), sid); // unrelated -> GET stream only
  REQUIRE(n);
  CHECK(n->status == 200);
  auto collect = [](http_client& x) {
    std::vector<json> out;
    REQUIRE(x.read_head());
    while (auto ev = x.next_event())
      if (!ev->data.empty())
        out.push_back(parse(ev->data));
    return out;
  };
  auto on_a = collect(a);
  auto on_b = collect(b);
  REQUIRE(on_a.size() == 2);
  REQUIRE(on_b.size() == 2);
  CHECK(on_a[0]["params"]["progressToken"] == "31");
  CHECK(on_a[1]["id"] == 31);
  CHECK(on_b[0]["params"]["progressToken"] == "32");
  CHECK(on_b[1]["id"] == 32);
  auto ev = g.next_event();
  REQUIRE(ev);
  CHECK(parse(ev->data)["method"] == "notifications/tools/list_changed");
  CHECK(!g.next_event(300ms)); // nothing else ever reached the GET stream
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: an SSE client that stops reading is dropped while its session lives on") {
  auto cfg = http_config();
  cfg.limits.outbound_queue_max_bytes = 256 * 1024;
  cfg.limits.outbound_queue_max_messages = 64;
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  http_client slow{st.port};
  slow.raw().set_receive_buffer(4096);
  REQUIRE(slow.send("POST", "/mcp", with_session(sid),
                    request(2, "flood", {{"n", 1000}, {"size", 10240}})));
  // Only the session's connection count tells: c stays, slow goes.
  CHECK(eventually([&] { return st.t->open_connections() == 1; }, 20s));
  auto r = c.post_mcp(request(3, "echo"), sid);
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE_FIXTURE(transport_fixture, "http: an oversized request header gets 431") {
  auto cfg = http_config();
  cfg.limits.max_header_bytes = 2048;
  auto st = start(cfg);
  http_client c{st.port};
  REQUIRE(c.send("GET", "/mcp", {{"X-Big", std::string(4000, 'h')}}));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 431);
}

TEST_CASE_FIXTURE(transport_fixture, "http: requests beyond the in-flight bound get 429") {
  auto cfg = http_config();
  cfg.limits.outbound_queue_max_messages = 2;
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  http_client a{st.port}, b{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid), request(2, "slow", {{"ms", 300}})));
  REQUIRE(b.send("POST", "/mcp", with_session(sid), request(3, "slow", {{"ms", 300}})));
  REQUIRE(world->wait_count("in:slow", 2));
  auto r = c.post_mcp(request(4, "echo"), sid);
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(parse(r->body)["id"] == 4);
  CHECK(a.read_response()->status == 200);
  CHECK(b.read_response()->status == 200);
}
