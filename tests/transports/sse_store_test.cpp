// Streamable HTTP on the node's sse_event_store service (es_* messages)
// instead of its own memory store, SSE polling (sse_poll_after) and SSE
// keepalive comments. Real sockets on 127.0.0.1.

#include <caf/all.hpp>

#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/services/sse_event_log.hpp"
#include "cafmcp/actors/services/sse_event_store.hpp"
#include "fixture.hpp"
#include "streamable_http.hpp"

using namespace cafmcp::test;
namespace services = cafmcp::services;

namespace {

header_vec resume_headers(const std::string& sid, const std::string& last_event_id) {
  return with_session(sid, {{"Accept", "text/event-stream"}, {"Last-Event-ID", last_event_id}});
}

// The service as config_sup runs it: its log and its ref owned out here, so
// a new incarnation takes over where the old one ended.
struct event_store_service {
  explicit event_store_service(caf::actor_system& sys) : sys(sys) { restart(); }
  ~event_store_service() { stop(); }

  void restart() {
    services::sse_store_settings settings;
    settings.ref = ref;
    actor = sys.spawn(services::sse_event_store, log, settings);
    REQUIRE(eventually([&] { return ref->get() == actor; }));
  }

  // Killed like a crash; the ref is empty until restart().
  void stop() {
    if (!actor)
      return;
    caf::scoped_actor self{sys};
    self->monitor(actor);
    self->send_exit(actor, caf::exit_reason::kill);
    self->receive([](caf::down_msg&) {});
    actor = nullptr;
    REQUIRE(eventually([&] { return !ref->get(); }));
  }

  cafmcp::transports::event_store_service lookup() const {
    return [r = ref] { return r->get(); };
  }

  caf::actor_system& sys;
  std::shared_ptr<services::sse_event_log> log = std::make_shared<services::sse_event_log>();
  std::shared_ptr<services::service_ref> ref = std::make_shared<services::service_ref>();
  caf::actor actor;
};

} // namespace

TEST_CASE_FIXTURE(transport_fixture,
                  "http: resumption goes through the sse_event_store service and survives its "
                  "restart") {
  event_store_service store{sys()};
  auto cfg = http_config();
  cfg.event_store = store.lookup();
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  http_client a{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid),
                 request(30, "slow", {{"ms", 1500}, {"progress", true}})));
  REQUIRE(a.read_head());
  auto priming = a.next_event();
  REQUIRE(priming);
  CHECK(!priming->id.empty());
  CHECK(priming->data.empty());
  auto progress = a.next_event();
  REQUIRE(progress);
  // The service's ids ("<stream>:<seq>"), not the memory store's.
  CHECK(progress->id.find(':') != std::string::npos);
  // The stream drops, and the event store crashes and is restarted meanwhile.
  a.raw().shutdown_write();
  CHECK(a.raw().wait_closed());
  store.stop();
  store.restart();
  http_client r{st.port};
  REQUIRE(r.send("GET", "/mcp", resume_headers(sid, priming->id)));
  auto head = r.read_head();
  REQUIRE(head);
  CHECK(head->status == 200);
  auto replayed = r.next_event();
  REQUIRE(replayed);
  CHECK(replayed->id == progress->id);
  CHECK(parse(replayed->data)["method"] == "notifications/progress");
  auto result = r.next_event(); // live, stored by the new incarnation
  REQUIRE(result);
  CHECK(parse(result->data)["id"] == 30);
  CHECK(!r.next_event());
  // And the result is in the service's log: a second resumption replays it.
  http_client r2{st.port};
  REQUIRE(r2.send("GET", "/mcp", resume_headers(sid, progress->id)));
  REQUIRE(r2.read_head());
  auto again = r2.next_event();
  REQUIRE(again);
  CHECK(again->id == result->id);
  CHECK(parse(again->data)["id"] == 30);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: an event the store could not keep makes its stream fail closed") {
  event_store_service store{sys()};
  auto cfg = http_config();
  cfg.event_store = store.lookup();
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  http_client a{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid),
                 request(40, "slow", {{"ms", 600}, {"progress", true}})));
  REQUIRE(a.read_head());
  auto priming = a.next_event();
  REQUIRE(priming);
  REQUIRE(a.next_event()); // progress, stored
  // The store is down when the result comes: it is delivered live all the
  // same, without an id, ...
  store.stop();
  auto result = a.next_event();
  REQUIRE(result);
  CHECK(parse(result->data)["id"] == 40);
  CHECK(result->id.empty());
  store.restart();
  // ... and a replay from before it would have a hole: refused.
  http_client r{st.port};
  REQUIRE(r.send("GET", "/mcp", resume_headers(sid, priming->id)));
  auto res = r.read_response();
  REQUIRE(res);
  CHECK(res->status == 400);
  // The session itself carries on.
  auto pong = c.post_mcp(request(41, "echo", {{"x", 1}}), sid);
  REQUIRE(pong);
  CHECK(pong->status == 200);
  CHECK(parse(pong->body)["result"]["x"] == 1);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "http: SSE polling closes a quiet request's stream after its priming event and "
                  "the result comes on the resumed stream") {
  event_store_service store{sys()};
  auto cfg = http_config();
  cfg.event_store = store.lookup();
  cfg.sse_poll_after = std::chrono::milliseconds{100};
  cfg.sse_retry = std::chrono::milliseconds{250};
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  // A quick answer is still plain JSON.
  auto quick = c.post_mcp(request(50, "echo"), sid);
  REQUIRE(quick);
  CHECK(quick->header("content-type") == "application/json");
  http_client a{st.port};
  REQUIRE(a.send("POST", "/mcp", with_session(sid), request(51, "slow", {{"ms", 800}})));
  auto head = a.read_head();
  REQUIRE(head);
  CHECK(head->header("content-type") == "text/event-stream");
  auto priming = a.next_event();
  REQUIRE(priming);
  CHECK(priming->data.empty());
  CHECK(priming->retry == 250);
  CHECK(!a.next_event()); // closed by the server before the result
  CHECK(a.stream_ended());
  http_client r{st.port};
  REQUIRE(r.send("GET", "/mcp", resume_headers(sid, priming->id)));
  REQUIRE(r.read_head());
  auto result = r.next_event();
  REQUIRE(result);
  CHECK(parse(result->data)["id"] == 51);
  CHECK(parse(result->data)["result"]["ms"] == 800);
  CHECK(!r.next_event());
}

TEST_CASE_FIXTURE(transport_fixture, "http: idle SSE streams get keepalive comments") {
  auto cfg = http_config();
  cfg.sse_keepalive = std::chrono::milliseconds{100};
  auto st = start(cfg);
  http_client c{st.port};
  auto sid = open_session(c);
  http_client g{st.port};
  open_get_stream(g, sid);
  auto priming = g.next_event();
  REQUIRE(priming);
  // Comments are not events: read the raw bytes.
  int comments = 0;
  CHECK(eventually([&] {
    g.raw().fill(std::chrono::milliseconds{50});
    auto& buf = g.raw().buffer();
    for (auto at = buf.find(": keepalive"); at != std::string::npos;
         at = buf.find(": keepalive", at + 1))
      ++comments;
    buf.clear();
    return comments >= 2;
  }));
}
