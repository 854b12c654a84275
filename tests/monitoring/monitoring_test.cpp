// The monitoring domain: simple_monitor's alerts from real supervisor reports,
// and the dashboard's live view.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "../supervision/support.hpp"
#include "cafmcp/actors/monitoring/dashboard.hpp"
#include "cafmcp/actors/monitoring/simple_monitor.hpp"

namespace mon = cafmcp::monitoring;
namespace core = cafmcp::core;
using sup::strategy;

namespace {

using test::eventually;

bool active(const mon::alert_store& s, const std::string& name) {
  for (auto& a : s.active())
    if (a.name == name)
      return true;
  return false;
}

} // namespace

TEST_CASE("restarts in two domains within the window raise cascading_failure, then it clears") {
  test::fixture f;
  auto alerts = std::make_shared<mon::alert_store>();
  auto recoveries = std::make_shared<core::recovery_store>(1);
  mon::monitor_settings cfg;
  cfg.interval = 20ms;
  cfg.cascade_window = 300ms;
  cfg.max_pool_restarts_per_min = 100;
  f.start(f.config("monitoring_sup", strategy::rest_for_one,
                   {mon::simple_monitor_spec(alerts, recoveries, cfg)}));
  auto a = f.start(f.config("domain_a", strategy::one_for_one,
                            {test::worker_spec("w", sup::restart_type::permanent)}, 10));
  auto b = f.start(f.config("domain_b", strategy::one_for_one,
                            {test::worker_spec("w", sup::restart_type::permanent)}, 10));
  test::report_listener reports{f.sys};
  f.self->send(f.child(a, "w"), test::crash_atom::value);
  REQUIRE(reports.await(sup::report_kind::child_started, "domain_a", "w"));
  CHECK_FALSE(active(*alerts, "cascading_failure")); // one domain is no cascade
  f.self->send(f.child(b, "w"), test::crash_atom::value);
  REQUIRE(reports.await(sup::report_kind::child_started, "domain_b", "w"));
  REQUIRE(eventually([&] { return active(*alerts, "cascading_failure"); }));
  REQUIRE(eventually([&] { return !active(*alerts, "cascading_failure"); }));
  CHECK(alerts->all().size() >= 1);
}

TEST_CASE("pool restarts above the rate raise pool_restart_rate") {
  test::fixture f;
  auto alerts = std::make_shared<mon::alert_store>();
  auto recoveries = std::make_shared<core::recovery_store>(1);
  mon::monitor_settings cfg;
  cfg.interval = 20ms;
  cfg.max_pool_restarts_per_min = 1;
  f.start(f.config("monitoring_sup", strategy::rest_for_one,
                   {mon::simple_monitor_spec(alerts, recoveries, cfg)}));
  auto pool = f.config("pool_0", strategy::simple_one_for_one,
                       {test::worker_spec("s", sup::restart_type::temporary)});
  auto pools = f.start(f.config("connection_pool_sup", strategy::one_for_one,
                                {sup::supervisor_child("pool_0", pool)}, 10));
  test::report_listener reports{f.sys};
  for (int i = 0; i < 2; ++i) {
    caf::anon_send_exit(f.child(pools, "pool_0"), caf::exit_reason::kill);
    REQUIRE(reports.await(sup::report_kind::child_started, "connection_pool_sup", "pool_0"));
  }
  REQUIRE(eventually([&] { return active(*alerts, "pool_restart_rate"); }));
}

TEST_CASE("a monitor crash keeps the alerts it raised") {
  test::fixture f;
  auto alerts = std::make_shared<mon::alert_store>();
  alerts->raise("availability_low", "test", 1);
  auto recoveries = std::make_shared<core::recovery_store>(1);
  mon::monitor_settings cfg;
  cfg.availability = [] { return std::optional<double>{0.5}; };
  auto s = f.start(f.config("monitoring_sup", strategy::rest_for_one,
                            {mon::simple_monitor_spec(alerts, recoveries, cfg)}, 5));
  test::report_listener reports{f.sys};
  caf::anon_send_exit(f.child(s, "simple_monitor"), caf::exit_reason::kill);
  REQUIRE(reports.await(sup::report_kind::child_started, "monitoring_sup", "simple_monitor"));
  CHECK(active(*alerts, "availability_low"));
  CHECK(alerts->all().front().fired == 1); // still the same alert, not raised twice
}

TEST_CASE("the dashboard keeps a versioned JSON view of health, recoveries and alerts") {
  test::fixture f;
  mon::dashboard_sources src;
  src.health = std::make_shared<core::health_store>();
  src.recoveries = std::make_shared<core::recovery_store>(2);
  src.alerts = std::make_shared<mon::alert_store>();
  auto store = std::make_shared<mon::dashboard_store>();
  f.start(
      f.config("monitoring_sup", strategy::rest_for_one, {mon::dashboard_spec(store, src, 20ms)}));
  REQUIRE(eventually([&] { return store->get().first >= 1; }));
  auto v1 = store->get().first;
  src.alerts->raise("cascading_failure", "restarts in 2 domains", 1);
  src.recoveries->pool_crashed(1, std::chrono::steady_clock::now(), 0, 60000ms);
  REQUIRE(eventually([&] { return store->get().first > v1; }));
  auto view = nlohmann::json::parse(store->get().second);
  CHECK(view["alerts"][0]["name"] == "cascading_failure");
  CHECK(view["unhealthy_pools"] == nlohmann::json::array({1}));
  CHECK(view["health"]["overall"] == "unknown");
}
