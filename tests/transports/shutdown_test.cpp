// io_runner::stop(): every connection closes, and stop() returns once none is
// left, so no connection can outlive the io_context (or be destroyed by a
// session actor's thread while the context goes away).

#include "fixture.hpp"
#include "streamable_http.hpp"

using namespace cafmcp::test;

TEST_CASE_FIXTURE(transport_fixture,
                  "io_runner: stop closes every kind of connection and returns once all are gone") {
  auto http = start(http_config());
  auto tcp = start(tcp_config());
  ws_client ws{http.port};
  REQUIRE(ws.handshake("/ws"));
  REQUIRE(ws.send_text(initialize()));
  REQUIRE(ws.recv_text());
  line_client line{tcp.port};
  REQUIRE(line.send_line(initialize()));
  REQUIRE(line.read_line());
  // An SSE stream held open by its session actor, and an idle keep-alive
  // connection that belongs to no session.
  http_client post{http.port};
  auto sid = open_session(post);
  http_client get{http.port};
  open_get_stream(get, sid);
  http_client idle{http.port};
  REQUIRE(idle.ok());
  CHECK(eventually([&] { return io().live_connections() == 5; }));

  CHECK(io().stop(10s) == 0);
  CHECK(io().live_connections() == 0);
  CHECK(ws.raw().wait_closed());
  CHECK(line.raw().wait_closed());
  CHECK(post.raw().wait_closed());
  CHECK(get.raw().wait_closed());
  CHECK(idle.raw().wait_closed());
  // Stopping again is harmless.
  CHECK(io().stop() == 0);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "io_runner: connections accepted after a stop are none, and none is left") {
  auto tcp = start(tcp_config());
  CHECK(io().stop() == 0);
  line_client late{tcp.port};
  CHECK(!late.ok());
  CHECK(io().live_connections() == 0);
}
