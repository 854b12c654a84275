// Newline-delimited JSON-RPC over TCP, with the shared core: limits, the
// bounded outbound queue, server death, listener restart.

#include <set>

#include "fixture.hpp"

using namespace cafmcp::test;

TEST_CASE_FIXTURE(transport_fixture, "tcp: a request gets its response on the same connection") {
  auto st = start(tcp_config());
  line_client c{st.port};
  REQUIRE(c.ok());
  REQUIRE(c.send_line(initialize()));
  auto line = c.read_line();
  REQUIRE(line);
  auto msg = parse(*line);
  CHECK(msg["id"] == 1);
  CHECK(msg["result"]["protocolVersion"] == "2025-11-25");
  REQUIRE(c.send_line(request(2, "echo", {{"x", 42}})));
  line = c.read_line();
  REQUIRE(line);
  CHECK(parse(*line)["result"]["x"] == 42);
  CHECK(world->count("open:1") == 1); // transport_kind::tcp
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "tcp: messages split across writes and several per write are framed by newlines") {
  auto st = start(tcp_config());
  line_client c{st.port};
  REQUIRE(c.ok());
  auto a = request(1, "echo", {{"n", 1}});
  auto b = request(2, "echo", {{"n", 2}});
  auto d = request(3, "echo", {{"n", 3}});
  // One message in three pieces, with pauses the server must survive.
  REQUIRE(c.send_raw(a.substr(0, 5)));
  REQUIRE(world->wait_for([&] { return world->count("open:1") == 1; }));
  REQUIRE(c.send_raw(a.substr(5, 10)));
  REQUIRE(c.send_raw(a.substr(15) + "\r\n"));
  // Two and a half in one write, the rest later; blank lines are skipped.
  REQUIRE(c.send_raw(b + "\n\n" + d.substr(0, 7)));
  REQUIRE(c.send_raw(d.substr(7) + "\n"));
  for (int n = 1; n <= 3; ++n) {
    auto line = c.read_line();
    REQUIRE(line);
    CHECK(parse(*line)["result"]["n"] == n);
  }
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "tcp: an oversized line is answered with -32600 and the connection stays usable") {
  auto cfg = tcp_config();
  cfg.limits.max_message_bytes = 1000;
  auto st = start(cfg);
  line_client c{st.port};
  REQUIRE(c.ok());
  std::string big = request(1, "echo", {{"blob", std::string(5000, 'y')}});
  REQUIRE(c.send_raw(big.substr(0, 3000)));
  REQUIRE(c.send_raw(big.substr(3000) + "\n"));
  auto line = c.read_line();
  REQUIRE(line);
  auto err = parse(*line);
  CHECK(err["id"].is_null());
  CHECK(err["error"]["code"] == -32600);
  CHECK(err["error"]["data"]["reason"] == "message_too_large");
  CHECK(err["error"]["data"]["max_bytes"] == 1000);
  REQUIRE(c.send_line(request(2, "echo", {{"ok", true}})));
  line = c.read_line();
  REQUIRE(line);
  CHECK(parse(*line)["result"]["ok"] == true);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "tcp: EOF after requests still delivers their responses and then ends the session") {
  auto st = start(tcp_config());
  line_client c{st.port};
  REQUIRE(c.ok());
  REQUIRE(c.send_line(initialize()));
  REQUIRE(c.send_line(request(2, "slow", {{"ms", 200}})));
  c.raw().shutdown_write();
  auto first = c.read_line();
  auto second = c.read_line();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(parse(*second)["id"] == 2);
  CHECK(c.raw().wait_closed());
  CHECK(world->wait_count("close:" + world->last_session(), 1));
  CHECK(eventually([&] { return st.t->open_connections() == 0; }));
}

TEST_CASE_FIXTURE(transport_fixture, "tcp: idle connections are closed after the idle timeout") {
  auto cfg = tcp_config();
  cfg.limits.idle_timeout = 300ms;
  auto st = start(cfg);
  line_client c{st.port};
  REQUIRE(c.ok());
  REQUIRE(c.send_line(request(1, "echo")));
  REQUIRE(c.read_line());
  auto t0 = std::chrono::steady_clock::now();
  CHECK(c.raw().wait_closed(5s));
  CHECK(std::chrono::steady_clock::now() - t0 >= 250ms);
  CHECK(world->wait_count("close:" + world->last_session(), 1));
}

TEST_CASE_FIXTURE(transport_fixture,
                  "tcp: a line that never completes is cut off by the read timeout (slowloris)") {
  auto cfg = tcp_config();
  cfg.limits.read_timeout = 400ms;
  cfg.limits.idle_timeout = 60s;
  auto st = start(cfg);
  line_client c{st.port};
  REQUIRE(c.ok());
  auto t0 = std::chrono::steady_clock::now();
  // A byte every 100 ms keeps the line alive but never finishes it.
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    c.send_raw("{");
    closed = c.raw().wait_closed(100ms);
  }
  CHECK(closed);
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took >= 350ms);
  CHECK(took < 3s);
}

TEST_CASE_FIXTURE(transport_fixture, "tcp: connections over the limit are refused") {
  auto cfg = tcp_config();
  cfg.limits.max_connections = 2;
  auto st = start(cfg);
  line_client a{st.port}, b{st.port};
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a.send_line(request(1, "echo")));
  REQUIRE(b.send_line(request(1, "echo")));
  REQUIRE(a.read_line());
  REQUIRE(b.read_line());
  CHECK(st.t->open_connections() == 2);
  line_client c{st.port};
  REQUIRE(c.ok()); // the kernel accepts; the server closes it at once
  CHECK(c.raw().wait_closed());
  CHECK(ask_connections(sys(), st.listener) == 2u);
  // A slot frees when a client leaves.
  a.raw().shutdown_write();
  CHECK(a.raw().wait_closed());
  CHECK(eventually([&] { return st.t->open_connections() == 1; }));
  line_client d{st.port};
  REQUIRE(d.send_line(request(5, "echo")));
  CHECK(d.read_line());
}

TEST_CASE_FIXTURE(transport_fixture,
                  "tcp: server actor death answers in-flight requests with an error and closes") {
  auto st = start(tcp_config());
  line_client c{st.port};
  REQUIRE(c.ok());
  REQUIRE(c.send_line(initialize()));
  REQUIRE(c.read_line());
  REQUIRE(c.send_line(request(7, "slow", {{"ms", 60000}})));
  REQUIRE(world->wait_count("in:slow", 1));
  caf::anon_send_exit(world->server(world->last_session()), caf::exit_reason::kill);
  auto line = c.read_line();
  REQUIRE(line);
  auto err = parse(*line);
  CHECK(err["id"] == 7);
  CHECK(err["error"]["code"] == -32603);
  CHECK(c.raw().wait_closed());
  // The client starts over on a new connection and a new server actor.
  line_client again{st.port};
  REQUIRE(again.send_line(initialize()));
  CHECK(again.read_line());
}

TEST_CASE_FIXTURE(transport_fixture,
                  "tcp: a server crash mid-request (runtime_error) is reported the same way") {
  auto st = start(tcp_config());
  line_client c{st.port};
  REQUIRE(c.send_line(request(3, "crash")));
  auto line = c.read_line();
  REQUIRE(line);
  CHECK(parse(*line)["id"] == 3);
  CHECK(parse(*line)["error"]["code"] == -32603);
  CHECK(c.raw().wait_closed());
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "tcp: a client that stops reading is disconnected when its queue passes the bound") {
  auto cfg = tcp_config();
  cfg.limits.outbound_queue_max_bytes = 256 * 1024;
  cfg.limits.outbound_queue_max_messages = 64;
  cfg.limits.read_timeout = 60s; // only the queue bound may end it
  auto st = start(cfg);
  line_client c{st.port};
  REQUIRE(c.ok());
  c.raw().set_receive_buffer(4096);
  // 1000 x 10 KiB = 10 MB: beyond the socket buffers (a few MB) plus the bound.
  REQUIRE(c.send_line(request(1, "flood", {{"n", 1000}, {"size", 10240}})));
  REQUIRE(world->wait_count("in:flood", 1));
  auto session = world->last_session();
  // The session ends (the server hears session_close) while we never read.
  CHECK(world->wait_count("close:" + session, 1, 20s));
  CHECK(eventually([&] { return st.t->open_connections() == 0; }));
  // The server reset the connection: what its kernel still held for us is
  // dropped, so reading ends in a reset well before all 10 MB arrived.
  std::size_t total = 0;
  while (c.raw().fill(5s)) {
    total += c.raw().buffer().size();
    c.raw().buffer().clear();
  }
  CHECK(c.raw().eof());
  CHECK(total < 1000u * 10240);
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "tcp: a killed listener is restarted on the same port and old sessions carry on") {
  auto st = start(tcp_config());
  line_client old{st.port};
  REQUIRE(old.send_line(initialize()));
  REQUIRE(old.read_line());
  caf::scoped_actor self{sys()};
  self->monitor(st.listener);
  caf::anon_send_exit(st.listener, caf::exit_reason::kill);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(10s) >> [] {});
  REQUIRE(down);
  // The acceptor closed before the down message went out: nobody listens.
  line_client refused{st.port};
  CHECK(!refused.ok());
  // What transport_sup does: start it again. It rebinds the port it had.
  auto again = st.t->spawn_listener();
  REQUIRE(again);
  CHECK(st.t->bound_port() == st.port);
  line_client fresh{st.port};
  REQUIRE(fresh.send_line(request(1, "echo", {{"new", true}})));
  auto l = fresh.read_line();
  REQUIRE(l);
  CHECK(parse(*l)["result"]["new"] == true);
  REQUIRE(old.send_line(request(2, "echo", {{"old", true}})));
  l = old.read_line();
  REQUIRE(l);
  CHECK(parse(*l)["result"]["old"] == true);
  CHECK(ask_endpoint(sys(), *again).second == st.port);
  // A second listener on the same transport cannot bind while one lives.
  auto twice = st.t->spawn_listener();
  CHECK(!twice);
  caf::anon_send_exit(*again, caf::exit_reason::kill);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "tcp: the server ending the session answers what is in flight and closes") {
  auto st = start(tcp_config());
  line_client c{st.port};
  REQUIRE(c.send_line(request(1, "slow", {{"ms", 60000}})));
  REQUIRE(world->wait_count("in:slow", 1));
  REQUIRE(c.send_line(request(2, "bye")));
  std::set<int> ids;
  for (int i = 0; i < 2; ++i) {
    auto line = c.read_line();
    REQUIRE(line);
    auto msg = parse(*line);
    CHECK(msg["error"]["code"] == -32603);
    ids.insert(msg["id"].get<int>());
  }
  CHECK(ids == std::set<int>{1, 2});
  CHECK(c.raw().wait_closed());
}

TEST_CASE_FIXTURE(
    transport_fixture,
    "tcp: requests beyond the in-flight bound are refused without reaching the server") {
  auto cfg = tcp_config();
  cfg.limits.outbound_queue_max_messages = 3;
  auto st = start(cfg);
  line_client c{st.port};
  for (int i = 1; i <= 4; ++i)
    REQUIRE(c.send_line(request(i, "slow", {{"ms", 300}})));
  auto line = c.read_line();
  REQUIRE(line);
  auto refused = parse(*line);
  CHECK(refused["id"] == 4);
  CHECK(refused["error"]["code"] == -32000);
  for (int i = 1; i <= 3; ++i) {
    line = c.read_line();
    REQUIRE(line);
    CHECK(parse(*line)["result"]["ms"] == 300);
  }
  CHECK(world->count("in:slow") == 3);
}
