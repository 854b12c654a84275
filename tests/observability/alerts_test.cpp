// simple_monitor's alerts: each one triggered, shown on /alerts, counted in
// /metrics, and logged on stderr.
#include <doctest/doctest.h>

#include <sstream>

#include "cafmcp/actors/monitoring/availability_window.hpp"
#include "cafmcp/actors/monitoring/simple_monitor.hpp"
#include "cafmcp/actors/services/metrics_live.hpp"
#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "obs_support.hpp"

using obs_test::admin_fixture;
using obs_test::json;
namespace monitoring = cafmcp::monitoring;
namespace sup = cafmcp::supervision;

namespace {

bool alert_active(admin_fixture& f, const std::string& name) {
  auto r = f.get("/alerts");
  if (r.status != 200)
    return false;
  auto doc = json::parse(r.body); // named: a range-for over a temporary's member dangles
  for (auto& a : doc["alerts"])
    if (a["name"] == name)
      return a["active"].get<bool>();
  return false;
}

double fired(admin_fixture& f, const std::string& name) {
  auto text = f.get("/metrics", false).body;
  auto key = "cafmcp_alerts_fired_total{alert=\"" + name + "\"} ";
  auto at = text.find(key);
  return at == std::string::npos ? -1 : std::stod(text.substr(at + key.size()));
}

void tune(cafmcp::app::node_config& c) {
  c.alerts.interval = std::chrono::milliseconds{50};
  c.alerts.cascade_window = std::chrono::milliseconds{5000};
}

// Runs simple_monitor alone under a supervisor, with stderr captured, and
// stops it again; the log is readable once the monitor is gone.
struct monitor_harness : test::fixture {
  std::shared_ptr<monitoring::alert_store> alerts = std::make_shared<monitoring::alert_store>();
  std::shared_ptr<cafmcp::core::recovery_store> recoveries =
      std::make_shared<cafmcp::core::recovery_store>(2);
  std::ostringstream log;
  std::streambuf* saved = nullptr;
  caf::actor sup_;

  void start(monitoring::monitor_settings s) {
    saved = std::cerr.rdbuf(log.rdbuf());
    s.interval = std::chrono::milliseconds{20};
    sup::supervisor_config c;
    c.name = "monitor_test_sup";
    c.flags = {sup::strategy::one_for_one, 3, std::chrono::seconds{5}};
    c.children = {monitoring::simple_monitor_spec(alerts, recoveries, s)};
    auto started = sup::start_supervisor(sys, c);
    REQUIRE(started);
    sup_ = *started;
  }
  std::string stop() {
    sup::stop_supervisor(sys, sup_);
    std::cerr.rdbuf(saved);
    saved = nullptr;
    return log.str();
  }
  ~monitor_harness() {
    if (saved)
      std::cerr.rdbuf(saved);
  }
  bool active(const std::string& name) {
    for (auto& a : alerts->active())
      if (a.name == name)
        return true;
    return false;
  }
};

} // namespace

TEST_CASE("the pool restart rate alert fires after two pool restarts in a minute") {
  admin_fixture f{tune};
  CHECK_FALSE(alert_active(f, "pool_restart_rate"));
  CHECK(fired(f, "pool_restart_rate") == 0);
  REQUIRE(f.kill("pool_0").status == 200);
  REQUIRE(obs_test::within([&] {
    return f.get("/metrics", false)
               .body.find("cafmcp_supervisor_restarts_total{child=\"pool_0\",supervisor="
                          "\"connection_pool_sup\"} 1") != std::string::npos;
  }));
  REQUIRE(f.kill("pool_1").status == 200);
  CHECK(obs_test::within([&] { return alert_active(f, "pool_restart_rate"); }));
  CHECK(obs_test::within([&] { return fired(f, "pool_restart_rate") == 1; }));
  auto alerts = json::parse(f.get("/alerts").body);
  CHECK(alerts["active"].get<int>() >= 1);
  CHECK(alerts["alerts"][0]["active"] == true); // active ones first
  CHECK(f.get("/alerts", false).status == 401);
  auto page = json::parse(f.get("/dashboard.json").body);
  bool shown = false;
  for (auto& a : page["alerts"])
    shown = shown || (a["name"] == "pool_restart_rate" && a["active"] == true);
  CHECK(shown);
}

TEST_CASE("the cascading failure alert fires on restarts in two domains") {
  admin_fixture f{tune};
  REQUIRE(f.kill("pool_2").status == 200);
  REQUIRE(f.kill("session_manager").status == 200);
  CHECK(obs_test::within([&] { return alert_active(f, "cascading_failure"); }));
  CHECK(fired(f, "cascading_failure") == 1);
  // And it clears once the window has passed without restarts elsewhere.
  CHECK(obs_test::within([&] { return !alert_active(f, "cascading_failure"); },
                         std::chrono::seconds{20}));
}

TEST_CASE("the registry recovery alert fires when a recovery exceeds its threshold") {
  monitor_harness h;
  monitoring::monitor_settings s;
  s.max_registry_recovery = std::chrono::milliseconds{500};
  h.start(s);
  auto t0 = cafmcp::core::recovery_store::clock::now();
  // A fast recovery: no alert.
  h.recoveries->child_down("core_sup", "registry", t0);
  h.recoveries->child_up("core_sup", "registry", t0 + std::chrono::milliseconds{3},
                         std::chrono::milliseconds{500});
  for (int i = 0; i < 5 && !h.active("registry_recovery_slow"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{30}); // ticks pass: must stay quiet
  CHECK_FALSE(h.active("registry_recovery_slow"));
  // A slow one: 600 ms.
  h.recoveries->child_down("core_sup", "registry", t0);
  h.recoveries->child_up("core_sup", "registry", t0 + std::chrono::milliseconds{600},
                         std::chrono::milliseconds{500});
  CHECK(test::eventually([&] { return h.active("registry_recovery_slow"); }));
  auto log = h.stop();
  CHECK(log.find("cafmcp: alert registry_recovery_slow: last registry recovery took 600 ms") !=
        std::string::npos);
}

TEST_CASE("the availability alert fires when failed requests exceed the threshold") {
  monitor_harness h;
  auto table = std::make_shared<cafmcp::services::live_metrics>();
  using cafmcp::services::request_outcome;
  auto window = std::make_shared<monitoring::availability_window>(
      [table] {
        auto failed = table->requests(request_outcome::failed);
        return std::make_pair(table->requests(request_outcome::ok) + failed, failed);
      },
      std::chrono::seconds{60}, 10);
  monitoring::monitor_settings s;
  s.min_availability = 0.99;
  s.availability = [window] { return (*window)(); };
  h.start(s);
  // Too few requests say nothing, even failed ones.
  for (int i = 0; i < 5; ++i)
    table->request_done(3, request_outcome::failed, 0.001);
  std::this_thread::sleep_for(std::chrono::milliseconds{100}); // several ticks must stay quiet
  CHECK_FALSE(h.active("availability_low"));
  for (int i = 0; i < 100; ++i)
    table->request_done(3, request_outcome::ok, 0.001);
  CHECK(test::eventually([&] { return h.active("availability_low"); }));
  auto log = h.stop();
  CHECK(log.find("cafmcp: alert availability_low: availability 95.") != std::string::npos);
}

TEST_CASE("availability over a window forgets what is older than the window") {
  std::pair<uint64_t, uint64_t> totals{0, 0};
  monitoring::availability_window w{[&] { return totals; }, std::chrono::seconds{10}, 10};
  auto t = monitoring::availability_window::clock::now();
  CHECK_FALSE(w.at(t));
  totals = {100, 50};
  CHECK(*w.at(t + std::chrono::seconds{1}) == doctest::Approx(0.5));
  totals = {300, 50};
  CHECK(*w.at(t + std::chrono::seconds{5}) == doctest::Approx(1.0 - 50.0 / 300.0));
  // The failures happened more than a window ago: only good requests since.
  totals = {400, 50};
  CHECK(*w.at(t + std::chrono::seconds{12}) == doctest::Approx(1.0));
}
