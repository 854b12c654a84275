// The chaos scenarios at CI scale: a node in this process (a node process for
// the node failure), a few hundred MCP sessions over HTTP, legacy SSE,
// WebSocket and TCP, real kills. Each case checks what its name promises.
//
// Bounds: the SLAs are what cafmcp-chaos reports; here a loaded 2-core
// machine (and the sanitizer build) gets `slack` times the SLA, so the tests
// prove the behaviour without being flaky. The measured figures are printed.

#include <doctest/doctest.h>

#include <iostream>

#include <caf/all.hpp>

#include "cafmcp/app/chaos/chaos_run.hpp"
#include "cafmcp/app/node/node.hpp"
#include "cafmcp/chaos/report.hpp"
#include "cafmcp/client/client_error.hpp"

namespace app = cafmcp::app;
namespace chaos = cafmcp::chaos;
using namespace std::chrono_literals;
using chaos::domain_kind;

namespace {

constexpr double slack = 4.0;

// Each run gets an actor system of its own: a node owns names in its
// system's registry, so there is one node per actor system.
struct chaos_fixture {
  chaos::scenario_result run(const std::string& scenario, std::size_t pools = 10,
                             std::size_t sessions = 120, std::uint64_t seed = 1,
                             std::chrono::milliseconds settle = 1s) {
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads", 2);
    app::add_error_categories(cfg);
    cafmcp::client::add_client_error_category(cfg);
    caf::actor_system sys{cfg};
    cafmcp::transports::io_runner io{1};
    io.start();
    app::chaos_options o;
    o.pools = pools;
    o.run.sessions = sessions;
    o.run.calls_per_second = 4;
    o.run.seed = seed;
    o.run.duration = 4s;
    o.run.kills_per_second = 2;
    o.run.warmup = 500ms;
    o.run.settle = settle;
    o.node_binary = CAFMCP_NODE_BINARY;
    auto r = app::run_chaos_scenario(sys, io, scenario, o);
    io.stop();
    REQUIRE_MESSAGE(r, sys.render(r.error()));
    chaos::print_summary(std::cout, *r);
    return std::move(*r);
  }
};

std::size_t cascades(const chaos::scenario_result& r) {
  std::size_t n = 0;
  for (auto& inj : r.injections)
    n += inj.cascades.size();
  return n;
}

// Every victim came back within `slack` times its SLA.
void check_recovered(const chaos::scenario_result& r) {
  for (auto& inj : r.injections)
    for (auto& v : inj.victims) {
      INFO(v.who.name);
      CHECK(v.kill_error.empty());
      auto figure = v.sla_figure_ms();
      REQUIRE_MESSAGE(figure, "no recovery measured for " << v.who.name);
      CHECK(*figure < slack * static_cast<double>(chaos::sla_of(v.who.domain).count()));
    }
}

// Only the killed domains' sessions saw failures.
void check_contained(const chaos::scenario_result& r) {
  for (auto& inj : r.injections) {
    INFO("affected " << inj.affected << " of " << inj.sessions << ", share " << inj.domain_share);
    CHECK(inj.impact_within_share());
  }
  CHECK(r.outside.success_rate() > 0.995);
}

} // namespace

TEST_CASE_FIXTURE(chaos_fixture, "chaos_kill_pool_supervisor") {
  auto r = run("single_pool_crash");
  REQUIRE(r.injections.size() == 1);
  check_recovered(r);
  check_contained(r);
  CHECK(cascades(r) == 0);
  // Its sessions re-initialized into a running pool and were served again.
  auto& v = r.injections[0].victims[0];
  CHECK(v.serving_ms.has_value());
  CHECK(r.lost_data.empty());
}

TEST_CASE_FIXTURE(chaos_fixture, "chaos_kill_config_service") {
  auto r = run("config_service_crash");
  REQUIRE(r.injections.size() == 5);
  check_recovered(r);
  for (auto& inj : r.injections) {
    // A config service crash touches no session that is already open.
    CHECK(inj.affected == 0);
    REQUIRE(inj.victims[0].serving_ms);
  }
  CHECK(cascades(r) == 0);
  CHECK_MESSAGE(r.lost_data.empty(), r.lost_data.front());
}

TEST_CASE_FIXTURE(chaos_fixture, "chaos_kill_monitoring_service") {
  auto r = run("monitoring_service_crash");
  REQUIRE(r.injections.size() == 3);
  check_recovered(r);
  for (auto& inj : r.injections)
    CHECK(inj.affected == 0);
  CHECK(r.overall.failed == 0);
  CHECK(cascades(r) == 0);
}

TEST_CASE_FIXTURE(chaos_fixture, "chaos_kill_multiple_pools") {
  auto r = run("chaos_kill_multiple_pools", 9);
  REQUIRE(r.injections.size() == 1);
  CHECK(r.injections[0].victims.size() == 3);
  check_recovered(r);
  check_contained(r);
  CHECK(cascades(r) == 0);
}

TEST_CASE_FIXTURE(chaos_fixture, "chaos_concurrent_service_failures") {
  auto r = run("chaos_concurrent_service_failures");
  REQUIRE(r.injections.size() == 1);
  CHECK(r.injections[0].victims.size() == 6);
  check_recovered(r);
  CHECK(r.injections[0].affected == 0);
  CHECK(cascades(r) == 0);
  CHECK(r.lost_data.empty());
}

TEST_CASE_FIXTURE(chaos_fixture, "chaos_sequential_pool_failures") {
  auto r = run("chaos_sequential_pool_failures", 5);
  REQUIRE(r.injections.size() == 5);
  check_recovered(r);
  check_contained(r);
  CHECK(cascades(r) == 0);
}

TEST_CASE_FIXTURE(chaos_fixture, "chaos_extended_failure_injection") {
  auto r = run("chaos_extended_failure_injection", 10, 120, 42);
  CHECK(r.injections.size() >= 3);
  check_recovered(r);
  CHECK(cascades(r) == 0);
  CHECK(r.lost_data.empty());
  // The node served throughout: most calls succeeded despite a kill every
  // half second.
  CHECK(r.availability_measured > 0.95);
}

TEST_CASE_FIXTURE(chaos_fixture, "test_chaos_availability_target") {
  auto r = run("single_pool_crash");
  // One pool of ten (a tenth of the sessions) down for at most `slack` times
  // its 500 ms SLA in a run of 4 s: on a quiet machine it is 0.99 and more,
  // and the chaos runner reports it; a loaded CI machine may take longer.
  constexpr double pool_share = 1.0 / 10;
  constexpr double worst = 1.0 - pool_share * (slack * 0.5) / 4.0; // 0.95
  CHECK(r.availability_measured >= worst);
}

TEST_CASE_FIXTURE(chaos_fixture, "test_no_cascading_under_chaos") {
  auto r = run("chaos_extended_failure_injection", 10, 120, 7);
  CHECK(cascades(r) == 0);
  for (auto& inj : r.injections)
    for (auto& c : inj.cascades)
      FAIL_CHECK("restart outside the killed domains: " << c.supervisor << "/" << c.child_id);
}

TEST_CASE_FIXTURE(chaos_fixture, "test_recovery_within_sla") {
  // The domains with the tightest SLAs, 100 ms and 500 ms: a server, a pool,
  // the registry (config and monitoring services: their own cases above).
  for (auto name : {"single_server_crash", "single_pool_crash", "registry_crash"}) {
    auto r = run(name);
    check_recovered(r);
    check_contained(r);
  }
}

TEST_CASE_FIXTURE(chaos_fixture, "test_node_failure_recovery") {
  auto r = run("node_failure", 4, 60);
  REQUIRE(r.injections.size() == 1);
  auto& v = r.injections[0].victims[0];
  CHECK(v.kill_error.empty());
  REQUIRE(v.running_ms);
  // Full service: every session re-initialized and served again.
  REQUIRE_MESSAGE(v.registered_ms, "not every session was served again after the restart");
  CHECK(*v.registered_ms < slack * 10000);
}

// The availability model of the original design summed "1 - 0.01^N" as if
// pools backed each other up; they do not: a session lives in one pool. The
// corrected model (expected share served, from the measured downtimes) must
// agree with the measured request success.
namespace {

void check_model(const chaos::scenario_result& r) {
  INFO("measured " << r.availability_measured << ", model " << r.availability_model
                   << ", pools-as-backups formula " << r.availability_backup_formula);
  // The model counts time, the measurement counts calls: a session of the
  // killed pool may lose one call however short the downtime. So they agree
  // within one call per affected session (plus half a percent).
  REQUIRE(r.overall.ok + r.overall.failed > 0);
  auto calls_per_session =
      static_cast<double>(r.overall.ok + r.overall.failed) / static_cast<double>(r.sessions);
  auto tolerance = r.injections.at(0).domain_share / calls_per_session + 0.005;
  CHECK(std::abs(r.availability_measured - r.availability_model) < tolerance);
  // The formula of the original design never gives less than the model.
  CHECK(r.availability_backup_formula >= r.availability_model);
}

} // namespace

TEST_CASE_FIXTURE(chaos_fixture, "test_single_domain_availability") {
  auto r = run("single_pool_crash", 1, 120, 1, 5s);
  // One pool holds every session: all of them were affected.
  CHECK(r.injections[0].domain_share == doctest::Approx(1.0));
  check_model(r);
}

TEST_CASE_FIXTURE(chaos_fixture, "test_multi_domain_availability") {
  auto r = run("single_pool_crash", 3, 120, 1, 5s);
  CHECK(r.injections[0].domain_share < 0.6);
  check_model(r);
}

TEST_CASE_FIXTURE(chaos_fixture, "test_ten_pool_availability") {
  auto r = run("single_pool_crash", 10, 120, 1, 5s);
  CHECK(r.injections[0].domain_share < 0.3);
  check_model(r);
  check_contained(r);
}
