// The connection pool domain: the broker's pool choice, capacity limits,
// unhealthy pools skipped, and pool or broker crashes isolated.
#include <doctest/doctest.h>

#include <atomic>
#include <set>

#include "../supervision/support.hpp"
#include "cafmcp/actors/pool/connection_pools.hpp"
#include "cafmcp/actors/pool/pool_error.hpp"
#include "cafmcp/actors/services/session_manager.hpp"
#include "cafmcp/actors/services/session_messages.hpp"
#include "cafmcp/registry/pool_selector.hpp"
#include "cafmcp/registry/registry_actor.hpp"

namespace pool = cafmcp::pool;
namespace mcp = cafmcp::mcp;
namespace reg = cafmcp::registry;
namespace core = cafmcp::core;

namespace {

struct pools_fixture : test::fixture {
  std::shared_ptr<reg::registry_table> table = std::make_shared<reg::registry_table>(4);
  std::shared_ptr<reg::registry_ref> ref = std::make_shared<reg::registry_ref>();
  std::shared_ptr<core::recovery_store> health;
  caf::actor registry;
  caf::actor pools;
  pool::pool_settings settings;

  explicit pools_fixture(size_t num_pools, size_t per_pool) {
    pool::add_error_category(cfg);
    health = std::make_shared<core::recovery_store>(num_pools);
    registry = sys.spawn(reg::registry_actor, table, ref);
    owned.push_back(registry);
    settings.num_pools = num_pools;
    settings.servers_per_pool = per_pool;
    settings.flags = {sup::strategy::one_for_one, 100, 60000ms};
    pool::broker_wiring w;
    w.make_server = [](caf::local_actor* p, const caf::actor&, const std::string& id,
                       mcp::transport_kind) -> caf::expected<caf::actor> {
      return p->spawn(test::worker, test::worker_opts{id});
    };
    w.routes = table;
    w.registry = ref;
    w.health = health;
    pools = start(pool::connection_pool_config(settings, w));
  }

  caf::actor broker() { return child(pools, "session_broker"); }

  caf::expected<std::pair<caf::actor, std::string>> open() {
    caf::expected<std::pair<caf::actor, std::string>> out{caf::error{}};
    self->request(broker(), test::deadline, mcp::session_open_atom::value,
                  mcp::transport_kind::in_process, caf::actor{})
        .receive([&](caf::actor& server, std::string& id) { out = std::make_pair(server, id); },
                 [&](caf::error& e) { out = e; });
    return out;
  }

  // The pool a live session's route names; SIZE_MAX once the route is gone.
  size_t pool_of_or_none(const std::string& id) {
    auto r = table->find(id);
    return r ? r->pool : SIZE_MAX;
  }

  size_t pool_of(const std::string& id) {
    auto r = table->find(id);
    REQUIRE(r);
    return r->pool;
  }
};

} // namespace

TEST_CASE("a new session gets a server in its home pool and can be found again") {
  pools_fixture f{4, 100};
  auto s = f.open();
  REQUIRE(s);
  CHECK(f.alive(s->first));
  CHECK(f.pool_of(s->second) == reg::pool_selector::home_pool(s->second, 4));
  caf::actor found;
  f.self->request(f.broker(), test::deadline, mcp::session_find_atom::value, s->second)
      .receive([&](caf::actor& a) { found = a; }, [](caf::error&) {});
  CHECK(found == s->first);
  f.self->request(f.broker(), test::deadline, mcp::session_find_atom::value, std::string{"nobody"})
      .receive([](caf::actor&) { FAIL("found a session that does not exist"); },
               [](caf::error& e) { CHECK(e == pool::pool_errc::unknown_session); });
}

TEST_CASE("a full pool sends new sessions elsewhere and all pools full means at capacity") {
  pools_fixture f{3, 2};
  std::vector<std::pair<caf::actor, std::string>> sessions;
  for (int i = 0; i < 6; ++i) {
    auto s = f.open();
    REQUIRE(s);
    sessions.push_back(*s);
  }
  std::map<size_t, int> per_pool;
  for (auto& s : sessions)
    ++per_pool[f.pool_of(s.second)];
  CHECK(per_pool.size() == 3);
  for (auto& kv : per_pool)
    CHECK(kv.second == 2);
  auto refused = f.open();
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == pool::pool_errc::at_capacity);
  // A session ending frees its place.
  caf::anon_send_exit(sessions.front().first, caf::exit_reason::user_shutdown);
  bool reopened = false;
  auto until = std::chrono::steady_clock::now() + test::deadline;
  while (!reopened && std::chrono::steady_clock::now() < until)
    reopened = static_cast<bool>(f.open());
  CHECK(reopened);
}

TEST_CASE("an unhealthy pool gets no new sessions until it is readmitted") {
  pools_fixture f{4, 1000};
  f.health->pool_crashed(2, std::chrono::steady_clock::now(), 0, 60000ms);
  REQUIRE(f.health->is_unhealthy(2));
  for (int i = 0; i < 200; ++i) {
    auto s = f.open();
    REQUIRE(s);
    CHECK(f.pool_of(s->second) != 2);
  }
  f.health->readmit_stable(std::chrono::steady_clock::now() + 1h, 1ms);
  std::set<size_t> used;
  for (int i = 0; i < 200; ++i)
    used.insert(f.pool_of(f.open()->second));
  CHECK(used.count(2) == 1);
}

TEST_CASE("a pool crash ends only its own sessions, and the others keep answering") {
  pools_fixture f{4, 1000};
  std::vector<std::pair<caf::actor, std::string>> sessions;
  for (int i = 0; i < 80; ++i)
    sessions.push_back(*f.open());
  test::report_listener reports{f.sys};
  caf::anon_send_exit(f.child(f.pools, "pool_1"), caf::exit_reason::kill);
  REQUIRE(reports.await(sup::report_kind::child_started, "connection_pool_sup", "pool_1"));
  size_t lost = 0;
  for (auto& s : sessions) {
    if (f.alive(s.first))
      continue;
    ++lost;
    // Only pool_1's sessions may be gone, and their routes go with them
    // (the registry removes a route on its server's down message).
    CHECK(reg::pool_selector::home_pool(s.second, 4) == 1);
    CHECK(test::eventually([&] { return f.pool_of_or_none(s.second) == SIZE_MAX; }));
  }
  CHECK(lost > 0);
  CHECK(lost < sessions.size() / 2);
  // New sessions still open, pool_1 included once it is back.
  std::set<size_t> used;
  for (int i = 0; i < 100; ++i)
    used.insert(f.pool_of(f.open()->second));
  CHECK(used.size() == 4);
  // No restart outside the killed pool.
  for (auto& r : reports.drain())
    if (r.kind == sup::report_kind::restarting)
      CHECK(r.child_id == "pool_1");
}

TEST_CASE("a broker crash leaves the sessions alone and the restarted broker serves at once") {
  pools_fixture f{2, 1000};
  auto s = f.open();
  REQUIRE(s);
  test::report_listener reports{f.sys};
  caf::anon_send_exit(f.broker(), caf::exit_reason::kill);
  REQUIRE(reports.await(sup::report_kind::child_started, "connection_pool_sup", "session_broker"));
  CHECK(f.alive(s->first));
  auto again = f.open();
  REQUIRE(again);
  CHECK(f.alive(again->first));
}

TEST_CASE("a session whose server fails to start releases its id at the session manager") {
  // Every start fails: each open draws an id from the session manager, and
  // each must be ended again, or the records would fill max_sessions.
  test::fixture f;
  pool::add_error_category(f.cfg);
  auto ref = std::make_shared<cafmcp::services::service_ref>();
  cafmcp::services::session_settings ss;
  ss.ref = ref;
  ss.max_sessions = 3;
  auto sm = f.sys.spawn(cafmcp::services::session_manager,
                        std::make_shared<cafmcp::services::session_store>(), ss);
  f.owned.push_back(sm);
  REQUIRE(test::eventually([&] { return static_cast<bool>(ref->get()); }));
  pool::pool_settings settings;
  settings.num_pools = 2;
  settings.servers_per_pool = 10;
  settings.flags = {sup::strategy::one_for_one, 100, 60000ms};
  pool::broker_wiring w;
  w.make_server = [](caf::local_actor*, const caf::actor&, const std::string&,
                     mcp::transport_kind) -> caf::expected<caf::actor> {
    return caf::make_error(caf::sec::runtime_error, "no server today");
  };
  w.routes = std::make_shared<reg::registry_table>(2);
  w.registry = std::make_shared<reg::registry_ref>();
  w.sessions = ref;
  auto pools = f.start(pool::connection_pool_config(settings, w));
  auto broker = f.child(pools, "session_broker");
  for (int i = 0; i < 6; ++i) {
    bool failed = false;
    f.self
        ->request(broker, test::deadline, mcp::session_open_atom::value,
                  mcp::transport_kind::in_process, caf::actor{})
        .receive([](caf::actor&, std::string&) {}, [&](caf::error&) { failed = true; });
    CHECK(failed);
  }
  // More failed opens than max_sessions, and none of them is still counted.
  std::size_t active = 99;
  CHECK(test::eventually([&] {
    f.self->request(sm, test::deadline, cafmcp::services::sm_count_atom::value)
        .receive([&](std::size_t n) { active = n; }, [](caf::error&) {});
    return active == 0;
  }));
}
