// WebSocket at /ws: subprotocol "mcp", one JSON-RPC message per text frame.

#include "fixture.hpp"

using namespace cafmcp::test;

TEST_CASE_FIXTURE(transport_fixture,
                  "ws: subprotocol mcp is negotiated and each message is one text frame") {
  auto st = start(http_config());
  ws_client c{st.port};
  REQUIRE(c.ok());
  auto res = c.handshake("/ws", "foo, mcp");
  REQUIRE(res);
  CHECK(res->status == 101);
  CHECK(res->header("sec-websocket-protocol") == "mcp");
  REQUIRE(c.send_text(initialize()));
  auto m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["id"] == 1);
  // A large message still comes as one (server-side) message.
  REQUIRE(c.send_text(request(2, "echo", {{"blob", std::string(200000, 'z')}})));
  m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["result"]["blob"].get<std::string>().size() == 200000);
  // Progress is simply another frame before the response.
  REQUIRE(c.send_text(request(3, "progress")));
  m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["method"] == "notifications/progress");
  m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["id"] == 3);
  CHECK(world->count("open:4") == 1); // transport_kind::websocket
  // The closing handshake ends the session (the server waits for the
  // client's FIN after its own, as RFC 6455 wants).
  REQUIRE(c.send_close());
  CHECK(!c.recv_text());
  CHECK(c.closed());
  c.raw().shutdown_write();
  CHECK(c.raw().wait_closed());
  CHECK(world->wait_count("close:" + world->last_session(), 1));
}

TEST_CASE_FIXTURE(transport_fixture,
                  "ws: an oversized message gets an error and the socket stays") {
  auto cfg = http_config();
  cfg.limits.max_message_bytes = 1000;
  auto st = start(cfg);
  ws_client c{st.port};
  REQUIRE(c.handshake("/ws"));
  REQUIRE(c.send_text(std::string(100000, ' ') + "{}"));
  auto m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["error"]["code"] == -32600);
  CHECK(parse(*m)["error"]["data"]["size"].get<std::size_t>() >= 100000);
  REQUIRE(c.send_text(request(1, "echo", {{"after", true}})));
  m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["result"]["after"] == true);
}

TEST_CASE_FIXTURE(transport_fixture, "ws: a wrong subprotocol or a foreign origin is refused") {
  auto st = start(http_config());
  {
    ws_client c{st.port};
    auto res = c.handshake("/ws", "graphql-ws");
    REQUIRE(res);
    CHECK(res->status == 400);
  }
  {
    ws_client c{st.port};
    auto res = c.handshake("/ws", "mcp", "http://evil.example");
    REQUIRE(res);
    CHECK(res->status == 403);
  }
  {
    ws_client c{st.port};
    auto res = c.handshake("/ws", "mcp", "http://localhost:5173");
    REQUIRE(res);
    CHECK(res->status == 101);
  }
  {
    // Without a subprotocol offer the upgrade is accepted, with none chosen.
    ws_client c{st.port};
    auto res = c.handshake("/ws", "");
    REQUIRE(res);
    CHECK(res->status == 101);
    CHECK(!res->has("sec-websocket-protocol"));
  }
  http_client h{st.port};
  REQUIRE(h.send("GET", "/ws"));
  auto r = h.read_response();
  REQUIRE(r);
  CHECK(r->status == 426);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "ws: pings are answered and the server pings a quiet client to keep it") {
  auto cfg = http_config();
  cfg.limits.idle_timeout = 600ms; // Beast pings after 300 ms of silence
  auto st = start(cfg);
  ws_client c{st.port};
  REQUIRE(c.handshake("/ws"));
  REQUIRE(c.send_ping());
  // Reading answers the server's pings; nothing else arrives.
  CHECK(!c.recv_text(1500ms));
  CHECK(c.pongs_seen >= 1);
  CHECK(c.pings_seen >= 1);
  CHECK(!c.closed());
  // Still alive after several idle periods, thanks to ping/pong.
  REQUIRE(c.send_text(request(9, "echo")));
  auto m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["id"] == 9);
}

TEST_CASE_FIXTURE(transport_fixture, "ws: server actor death closes the socket after the error") {
  auto st = start(http_config());
  ws_client c{st.port};
  REQUIRE(c.handshake("/ws"));
  REQUIRE(c.send_text(request(5, "slow", {{"ms", 60000}})));
  REQUIRE(world->wait_count("in:slow", 1));
  caf::anon_send_exit(world->server(world->last_session()), caf::exit_reason::kill);
  auto m = c.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["id"] == 5);
  CHECK(parse(*m)["error"]["code"] == -32603);
  CHECK(!c.recv_text());
  CHECK(c.closed());
  CHECK(c.close_code == 1000);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "ws: a client that stops reading is disconnected when its queue passes the bound") {
  auto cfg = http_config();
  cfg.limits.outbound_queue_max_bytes = 256 * 1024;
  cfg.limits.outbound_queue_max_messages = 64;
  auto st = start(cfg);
  ws_client other{st.port};
  REQUIRE(other.handshake("/ws"));
  REQUIRE(other.send_text(initialize()));
  REQUIRE(other.recv_text());
  ws_client slow{st.port};
  slow.raw().set_receive_buffer(4096);
  REQUIRE(slow.handshake("/ws"));
  REQUIRE(slow.send_text(request(2, "flood", {{"n", 1000}, {"size", 10240}})));
  // The slow one goes, its session ends; the other connection is untouched.
  CHECK(eventually([&] { return st.t->open_connections() == 1; }, 20s));
  REQUIRE(other.send_text(request(3, "echo", {{"still", true}})));
  auto m = other.recv_text();
  REQUIRE(m);
  CHECK(parse(*m)["result"]["still"] == true);
}
