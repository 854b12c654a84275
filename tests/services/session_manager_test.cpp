// The session manager: secure ids, records, expiry, termination, server death, and a crash that
// keeps every session.
#include <doctest/doctest.h>

#include <set>

#include "cafmcp/actors/services/secure_id.hpp"
#include "cafmcp/actors/services/session_manager.hpp"
#include "cafmcp/actors/services/session_messages.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

struct session_fixture : fixture {
  manual_clock clock;
  std::shared_ptr<session_store> store = std::make_shared<session_store>();
  session_settings settings;

  session_fixture() {
    settings.ttl = 60000ms;
    settings.sweep_interval = 3600000ms; // tests sweep on request unless they test the timer
    settings.ended_retention = 600000ms;
    settings.clock = clock.fn();
  }

  caf::actor start() { return spawn(session_manager, store, settings); }

  caf::expected<session_record> open(const caf::actor& sm, caf::actor server = {}) {
    return ask<session_record>(sm, sm_open_atom::value, std::string{"streamable_http"}, server);
  }
  caf::expected<session_record> lookup(const caf::actor& sm, const std::string& id) {
    return ask<session_record>(sm, sm_lookup_atom::value, id);
  }
};

bool visible_url_safe(const std::string& id) {
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

} // namespace

TEST_CASE("secure ids carry at least 128 bits in url-safe visible ASCII and do not repeat") {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    auto id = make_secure_id();
    CHECK(id.size() == 32u); // 24 bytes = 192 bits
    CHECK(visible_url_safe(id));
    ids.insert(id);
  }
  CHECK(ids.size() == 10000u);
  CHECK(make_secure_id(16).size() == 22u);
  CHECK(make_secure_id(4).size() == 22u); // never fewer than 128 bits
}

TEST_CASE("session ids issued by the manager are unique and well-formed") {
  session_fixture fx;
  auto sm = fx.start();
  std::set<std::string> ids;
  for (int i = 0; i < 500; ++i) {
    auto rec = fx.open(sm);
    REQUIRE(rec);
    CHECK(rec->id.size() == 32u);
    CHECK(visible_url_safe(rec->id));
    ids.insert(rec->id);
  }
  CHECK(ids.size() == 500u);
  CHECK(*fx.ask<std::size_t>(sm, sm_count_atom::value) == 500u);
}

TEST_CASE("an open session records transport, server, times and negotiated version") {
  session_fixture fx;
  auto sm = fx.start();
  auto server = fx.spawn(dummy_peer);
  auto rec = fx.open(sm, server);
  REQUIRE(rec);
  CHECK(rec->transport == "streamable_http");
  CHECK(rec->server == server.address());
  CHECK(rec->created_ms == fx.clock.now());
  CHECK(rec->status == session_status::active);
  CHECK(rec->protocol_version.empty());
  fx.clock.advance(5000ms);
  auto ver = fx.ask<session_record>(sm, sm_setver_atom::value, rec->id, std::string{"2025-11-25"});
  REQUIRE(ver);
  auto found = fx.lookup(sm, rec->id);
  REQUIRE(found);
  CHECK(found->protocol_version == "2025-11-25");
  CHECK(found->last_seen_ms == fx.clock.now());
  CHECK(found->created_ms == rec->created_ms);
  // Binding a session opened without a server.
  auto unbound = fx.open(sm);
  REQUIRE(unbound);
  CHECK(!unbound->server);
  auto bound = fx.ask<session_record>(sm, sm_bind_atom::value, unbound->id, server);
  REQUIRE(bound);
  CHECK(bound->server == server.address());
}

TEST_CASE("a terminated session stays known as terminated while unknown ids are not_found") {
  session_fixture fx;
  auto sm = fx.start();
  auto rec = fx.open(sm);
  REQUIRE(rec);
  auto term = fx.ask<session_record>(sm, sm_term_atom::value, rec->id);
  REQUIRE(term);
  CHECK(term->status == session_status::terminated);
  CHECK(term->end_reason == "deleted");
  auto again = fx.lookup(sm, rec->id);
  REQUIRE(!again);
  CHECK(is(again.error(), svc_errc::session_terminated));
  CHECK(is(fx.ask<session_record>(sm, sm_term_atom::value, rec->id).error(),
           svc_errc::session_terminated));
  CHECK(is(fx.lookup(sm, "no-such-session").error(), svc_errc::not_found));
  CHECK(*fx.ask<std::size_t>(sm, sm_count_atom::value) == 0u);
}

TEST_CASE("sessions expire after their ttl without activity, and activity keeps them alive") {
  session_fixture fx;
  auto sm = fx.start();
  caf::scoped_actor watcher{fx.sys};
  REQUIRE(!fx.ask_ok(sm, sm_watch_atom::value, caf::actor_cast<caf::actor>(watcher)));
  auto busy = fx.open(sm);
  auto idle = fx.open(sm);
  REQUIRE(busy);
  REQUIRE(idle);
  fx.clock.advance(59000ms);
  fx.self->send(sm, sm_touch_atom::value, busy->id);
  fx.ask<std::size_t>(sm, sm_count_atom::value); // same sender: the touch is handled by now
  fx.clock.advance(2000ms);                      // idle: 61 s without activity; busy: 2 s
  // Past its ttl a session reads as expired even before a sweep marked it.
  CHECK(is(fx.lookup(sm, idle->id).error(), svc_errc::session_expired));
  CHECK(fx.lookup(sm, busy->id));
  CHECK(*fx.ask<std::size_t>(sm, sm_sweep_atom::value) == 1u);
  std::optional<session_record> ended;
  watcher->receive([&](sm_ended_atom, session_record& r) { ended = r; },
                   caf::after(deadline) >> [] {});
  REQUIRE(ended);
  CHECK(ended->id == idle->id);
  CHECK(ended->status == session_status::expired);
  CHECK(*fx.ask<std::size_t>(sm, sm_count_atom::value) == 1u);
  // A touch does not revive an expired session.
  fx.self->send(sm, sm_touch_atom::value, idle->id);
  CHECK(is(fx.lookup(sm, idle->id).error(), svc_errc::session_expired));
}

TEST_CASE("the periodic sweep expires sessions by itself") {
  session_fixture fx;
  fx.settings.sweep_interval = 5ms;
  auto sm = fx.start();
  caf::scoped_actor watcher{fx.sys};
  REQUIRE(!fx.ask_ok(sm, sm_watch_atom::value, caf::actor_cast<caf::actor>(watcher)));
  auto rec = fx.open(sm);
  REQUIRE(rec);
  fx.clock.advance(61000ms);
  std::optional<session_record> ended;
  watcher->receive([&](sm_ended_atom, session_record& r) { ended = r; },
                   caf::after(deadline) >> [] {});
  REQUIRE(ended);
  CHECK(ended->id == rec->id);
  CHECK(ended->end_reason == "expired");
  CHECK(*fx.ask<std::size_t>(sm, sm_count_atom::value) == 0u);
}

TEST_CASE("ended ids are forgotten after the retention period") {
  session_fixture fx;
  auto sm = fx.start();
  auto rec = fx.open(sm);
  REQUIRE(rec);
  REQUIRE(fx.ask<session_record>(sm, sm_term_atom::value, rec->id));
  fx.clock.advance(599000ms);
  fx.ask<std::size_t>(sm, sm_sweep_atom::value);
  CHECK(is(fx.lookup(sm, rec->id).error(), svc_errc::session_terminated));
  fx.clock.advance(2000ms);
  fx.ask<std::size_t>(sm, sm_sweep_atom::value);
  CHECK(is(fx.lookup(sm, rec->id).error(), svc_errc::not_found));
  CHECK(fx.store->ended_count() == 0u);
}

TEST_CASE("a session ends when its server actor dies") {
  session_fixture fx;
  auto sm = fx.start();
  caf::scoped_actor watcher{fx.sys};
  REQUIRE(!fx.ask_ok(sm, sm_watch_atom::value, caf::actor_cast<caf::actor>(watcher)));
  auto server = fx.spawn(dummy_peer);
  auto bystander = fx.spawn(dummy_peer);
  auto rec = fx.open(sm, server);
  auto other = fx.open(sm, bystander);
  REQUIRE(rec);
  REQUIRE(other);
  caf::anon_send_exit(server, caf::exit_reason::kill);
  std::optional<session_record> ended;
  watcher->receive([&](sm_ended_atom, session_record& r) { ended = r; },
                   caf::after(deadline) >> [] {});
  REQUIRE(ended);
  CHECK(ended->id == rec->id);
  CHECK(ended->end_reason == "server_down");
  CHECK(is(fx.lookup(sm, rec->id).error(), svc_errc::session_terminated));
  CHECK(fx.lookup(sm, other->id));
}

TEST_CASE("new sessions beyond max_sessions are refused with at_capacity") {
  session_fixture fx;
  fx.settings.max_sessions = 3;
  auto sm = fx.start();
  std::vector<session_record> recs;
  for (int i = 0; i < 3; ++i)
    recs.push_back(*fx.open(sm));
  CHECK(is(fx.open(sm).error(), svc_errc::at_capacity));
  REQUIRE(fx.ask<session_record>(sm, sm_term_atom::value, recs[0].id));
  CHECK(fx.open(sm));
  CHECK(is(fx.ask<session_record>(sm, sm_open_atom::value, std::string{}, caf::actor{}).error(),
           svc_errc::invalid_argument));
}

TEST_CASE("session_manager crash keeps its sessions") {
  session_fixture fx;
  auto supervisor = fx.supervise(session_manager_spec(fx.store, fx.settings));
  auto sm = fx.child(supervisor, "session_manager");
  REQUIRE(sm);
  caf::scoped_actor watcher{fx.sys};
  REQUIRE(!fx.ask_ok(sm, sm_watch_atom::value, caf::actor_cast<caf::actor>(watcher)));
  auto server = fx.spawn(dummy_peer);
  std::vector<session_record> recs;
  for (int i = 0; i < 20; ++i)
    recs.push_back(*fx.open(sm, server));
  REQUIRE(fx.ask<session_record>(sm, sm_setver_atom::value, recs[0].id, std::string{"2025-06-18"}));
  REQUIRE(fx.ask<session_record>(sm, sm_term_atom::value, recs[1].id));
  watcher->receive([](sm_ended_atom, session_record&) {}, caf::after(deadline) >> [] {});

  auto restarted = fx.kill_and_await_restart(supervisor, "services_sup", "session_manager");
  REQUIRE(restarted);
  CHECK(restarted != sm);
  CHECK(*fx.ask<std::size_t>(restarted, sm_count_atom::value) == 19u);
  auto first = fx.lookup(restarted, recs[0].id);
  REQUIRE(first);
  CHECK(first->protocol_version == "2025-06-18");
  CHECK(is(fx.lookup(restarted, recs[1].id).error(), svc_errc::session_terminated));
  CHECK(fx.open(restarted));
  // The new incarnation watches the old servers and tells the old watchers.
  caf::anon_send_exit(server, caf::exit_reason::kill);
  std::size_t ended = 0;
  bool timed_out = false;
  while (ended < 19 && !timed_out)
    watcher->receive(
        [&](sm_ended_atom, session_record& r) {
          CHECK(r.end_reason == "server_down");
          ++ended;
        },
        caf::after(deadline) >> [&] { timed_out = true; });
  CHECK(ended == 19u); // 18 left from before the crash, and the one opened after it
  CHECK(is(fx.lookup(restarted, recs[0].id).error(), svc_errc::session_terminated));
}
