// health_monitor: every domain checked on an interval with a timeout, the
// current status kept, pools checked one by one.
#include <doctest/doctest.h>

#include "../supervision/support.hpp"
#include "cafmcp/actors/core/health_monitor.hpp"

namespace core = cafmcp::core;
using sup::strategy;

namespace {

const core::domain_health* find(const core::health_snapshot& s, const std::string& name) {
  for (auto& d : s.domains)
    if (d.name == name)
      return &d;
  return nullptr;
}

bool eventually(const std::shared_ptr<core::health_store>& store,
                const std::function<bool(const core::health_snapshot&)>& pred) {
  auto until = std::chrono::steady_clock::now() + test::deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (pred(store->get()))
      return true;
    std::this_thread::yield();
  }
  return false;
}

} // namespace

TEST_CASE("health monitor reports every domain and every pool, and notices a domain going down") {
  test::fixture f;
  auto store = std::make_shared<core::health_store>();
  core::health_settings cfg;
  cfg.interval = 20ms;
  cfg.timeout = 500ms;
  cfg.root_name = caf::atom("hm_root");
  std::vector<sup::child_spec> pools;
  for (int i = 0; i < 2; ++i)
    pools.push_back(sup::supervisor_child(
        "pool_" + std::to_string(i),
        f.config("pool_" + std::to_string(i), strategy::simple_one_for_one,
                 {test::worker_spec("server", sup::restart_type::temporary)})));
  auto root = f.start(f.config(
      "cafmcp_sup", strategy::one_for_one,
      {sup::supervisor_child("core_sup", f.config("core_sup", strategy::one_for_all,
                                                  {core::health_monitor_spec(store, cfg)})),
       sup::supervisor_child("config_sup",
                             f.config("config_sup", strategy::one_for_one,
                                      {test::worker_spec("svc", sup::restart_type::permanent)})),
       sup::supervisor_child("connection_pool_sup",
                             f.config("connection_pool_sup", strategy::one_for_one, pools))},
      5));
  f.sys.registry().put(cfg.root_name, caf::actor_cast<caf::strong_actor_ptr>(root));

  REQUIRE(eventually(store, [](auto& s) { return s.overall == core::health_status::up; }));
  auto s = store->get();
  REQUIRE(s.domains.size() == 3);
  auto* pools_domain = find(s, "connection_pool_sup");
  REQUIRE(pools_domain);
  CHECK(pools_domain->parts.size() == 2);
  for (auto& p : pools_domain->parts)
    CHECK(p.status == core::health_status::up);
  CHECK(find(s, "config_sup")->active == 1);

  // A domain that is not running shows as down, and the node as down with it.
  CHECK_FALSE(sup::terminate_child(f.sys, root, "config_sup"));
  REQUIRE(eventually(store, [](auto& s) {
    auto* d = find(s, "config_sup");
    return d && d->status == core::health_status::down && s.overall == core::health_status::down;
  }));
  REQUIRE(sup::restart_child(f.sys, root, "config_sup"));
  REQUIRE(eventually(store, [](auto& s) { return s.overall == core::health_status::up; }));
  f.sys.registry().erase(cfg.root_name);
}

TEST_CASE("health monitor answers with unknown before the root is registered") {
  test::fixture f;
  auto store = std::make_shared<core::health_store>();
  core::health_settings cfg;
  cfg.interval = 20ms;
  cfg.root_name = caf::atom("hm_none");
  auto s =
      f.start(f.config("core_sup", strategy::one_for_one, {core::health_monitor_spec(store, cfg)}));
  REQUIRE(eventually(store, [](auto& s) { return s.checks >= 2; }));
  CHECK(store->get().overall == core::health_status::unknown);
  f.self->request(f.child(s, "health_monitor"), test::deadline, core::hm_get_atom::value)
      .receive(
          [](core::health_snapshot& snap) { CHECK(snap.overall == core::health_status::unknown); },
          [](caf::error&) { FAIL("no snapshot"); });
}
