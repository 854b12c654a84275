// recovery_manager: recovery times from supervisor reports, and pools taken out
// of rotation after too many crashes, then readmitted once stable.
#include <doctest/doctest.h>

#include "../supervision/support.hpp"
#include "cafmcp/actors/core/recovery_manager.hpp"

namespace core = cafmcp::core;
using sup::strategy;

namespace {

sup::supervisor_config pools_config(test::fixture& f, size_t n) {
  std::vector<sup::child_spec> pools;
  for (size_t i = 0; i < n; ++i) {
    auto pool = f.config("pool_" + std::to_string(i), strategy::simple_one_for_one,
                         {test::worker_spec("server", sup::restart_type::temporary)});
    pools.push_back(sup::supervisor_child("pool_" + std::to_string(i), pool));
  }
  return f.config("connection_pool_sup", strategy::one_for_one, std::move(pools), 100);
}

using test::eventually;

} // namespace

TEST_CASE("pool_index reads pool_<n> ids only") {
  CHECK(core::pool_index("pool_0") == 0);
  CHECK(core::pool_index("pool_13") == 13);
  CHECK(core::pool_index("pool_") == -1);
  CHECK(core::pool_index("pool_x") == -1);
  CHECK(core::pool_index("registry") == -1);
}

TEST_CASE("recovery manager measures each pool recovery from crash to replacement running") {
  test::fixture f;
  auto store = std::make_shared<core::recovery_store>(2);
  core::recovery_settings cfg;
  auto rm = f.start(
      f.config("core_sup", strategy::one_for_one, {core::recovery_manager_spec(store, cfg)}));
  auto pools = f.start(pools_config(f, 2));
  test::report_listener reports{f.sys};
  caf::anon_send_exit(f.child(pools, "pool_1"), caf::exit_reason::kill);
  REQUIRE(reports.await(sup::report_kind::child_started, "connection_pool_sup", "pool_1"));
  REQUIRE(eventually([&] { return !store->summaries().empty(); }));
  auto s = store->summaries().front();
  CHECK(s.supervisor == "connection_pool_sup");
  CHECK(s.child == "pool_1");
  CHECK(s.recoveries == 1);
  CHECK(s.last_us > 0);
  CHECK(s.last_us < 10'000'000);
  MESSAGE("pool recovery measured: " << s.last_us << " us");
  // The manager answers the same figures.
  f.self->request(f.child(rm, "recovery_manager"), test::deadline, core::rm_stats_atom::value)
      .receive([](std::vector<core::recovery_summary>& xs) { CHECK(xs.size() == 1); },
               [](caf::error&) { FAIL("no stats"); });
}

TEST_CASE("a pool that crashes too often is skipped until it is stable again") {
  test::fixture f;
  auto store = std::make_shared<core::recovery_store>(2);
  core::recovery_settings cfg;
  cfg.pool_max_consecutive_crashes = 3;
  cfg.pool_crash_window = 60000ms;
  cfg.pool_stable_after = 300ms;
  f.start(f.config("core_sup", strategy::one_for_one, {core::recovery_manager_spec(store, cfg)}));
  auto pools = f.start(pools_config(f, 2));
  test::report_listener reports{f.sys};
  for (int i = 0; i < 4; ++i) {
    CHECK_FALSE(store->is_unhealthy(0)); // three crashes are tolerated
    caf::anon_send_exit(f.child(pools, "pool_0"), caf::exit_reason::kill);
    REQUIRE(reports.await(sup::report_kind::child_started, "connection_pool_sup", "pool_0"));
    if (i < 3)
      REQUIRE(eventually([&] {
        return store->summaries().size() == 1 &&
               store->summaries().front().recoveries == uint64_t(i + 1);
      }));
  }
  REQUIRE(eventually([&] { return store->is_unhealthy(0); }));
  CHECK_FALSE(store->is_unhealthy(1));
  // No crash for stable_after: readmitted.
  REQUIRE(eventually([&] { return !store->is_unhealthy(0); }));
}

TEST_CASE("recovery manager crash keeps what it knew") {
  test::fixture f;
  auto store = std::make_shared<core::recovery_store>(1);
  core::recovery_settings cfg;
  cfg.pool_max_consecutive_crashes = 0; // the first crash makes the pool unhealthy
  cfg.pool_stable_after = 60000ms;
  auto core_sup = f.start(
      f.config("core_sup", strategy::one_for_one, {core::recovery_manager_spec(store, cfg)}, 5));
  auto pools = f.start(pools_config(f, 1));
  test::report_listener reports{f.sys};
  caf::anon_send_exit(f.child(pools, "pool_0"), caf::exit_reason::kill);
  REQUIRE(eventually([&] { return store->is_unhealthy(0); }));
  caf::anon_send_exit(f.child(core_sup, "recovery_manager"), caf::exit_reason::kill);
  REQUIRE(reports.await(sup::report_kind::child_started, "core_sup", "recovery_manager"));
  std::vector<uint64_t> unhealthy;
  f.self
      ->request(f.child(core_sup, "recovery_manager"), test::deadline,
                core::rm_unhealthy_atom::value)
      .receive([&](std::vector<uint64_t>& xs) { unhealthy = xs; }, [](caf::error&) {});
  CHECK(unhealthy == std::vector<uint64_t>{0});
}
