// The chaos library's pure parts: plans are deterministic per seed, victims
// map to the right failure domains, the analysis turns session logs into the
// report's figures, listener lines parse.

#include <doctest/doctest.h>

#include <set>

#include "cafmcp/chaos/analysis.hpp"
#include "cafmcp/chaos/scenario.hpp"
#include "cafmcp/chaos/stats.hpp"
#include "cafmcp/chaos/target.hpp"
#include "cafmcp/chaos/tree_events.hpp"

namespace chaos = cafmcp::chaos;
using namespace std::chrono_literals;
using chaos::domain_kind;

namespace {

std::vector<chaos::injection> plan_of(const std::string& name, std::uint64_t seed,
                                      std::size_t pools = 10) {
  std::mt19937_64 rng{seed};
  chaos::plan_context ctx;
  ctx.num_pools = pools;
  ctx.duration = 10s;
  ctx.kills_per_second = 3;
  ctx.rng = &rng;
  return chaos::find_scenario(name)->plan(ctx);
}

std::vector<std::string> names_of(const std::vector<chaos::injection>& plan) {
  std::vector<std::string> out;
  for (auto& i : plan)
    for (auto& v : i.victims)
      out.push_back(std::to_string(i.at.count()) + ":" + v.name);
  return out;
}

} // namespace

TEST_CASE("every scenario of the issue is in the catalogue") {
  for (auto name : {"single_server_crash", "single_pool_crash", "monitoring_service_crash",
                    "config_service_crash", "registry_crash", "two_pools_crash", "node_failure",
                    "chaos_kill_multiple_pools", "chaos_concurrent_service_failures",
                    "chaos_sequential_pool_failures", "chaos_extended_failure_injection"})
    CHECK_MESSAGE(chaos::find_scenario(name) != nullptr, name);
  CHECK(chaos::find_scenario("no_such_scenario") == nullptr);
}

TEST_CASE("plans are reproducible from the seed and differ between seeds") {
  auto a = names_of(plan_of("chaos_extended_failure_injection", 7));
  auto b = names_of(plan_of("chaos_extended_failure_injection", 7));
  auto c = names_of(plan_of("chaos_extended_failure_injection", 8));
  CHECK(a == b);
  CHECK(a != c);
  // About kills_per_second * duration kills, all inside the duration.
  CHECK(a.size() > 10);
  CHECK(a.size() < 60);
  for (auto& inj : plan_of("chaos_extended_failure_injection", 7)) {
    CHECK(inj.at < 10s);
    for (auto& v : inj.victims)
      CHECK(v.domain != domain_kind::node);
  }
}

TEST_CASE("multi-pool plans kill distinct pools") {
  auto two = plan_of("two_pools_crash", 3);
  REQUIRE(two.size() == 1);
  REQUIRE(two[0].victims.size() == 2);
  CHECK(two[0].victims[0].name != two[0].victims[1].name);
  auto third = plan_of("chaos_kill_multiple_pools", 3, 9);
  REQUIRE(third.size() == 1);
  std::set<std::string> distinct;
  for (auto& v : third[0].victims)
    distinct.insert(v.name);
  CHECK(distinct.size() == 3);
  auto seq = plan_of("chaos_sequential_pool_failures", 3, 4);
  REQUIRE(seq.size() == 4);
  CHECK(seq[1].at - seq[0].at > chaos::sla_of(domain_kind::pool));
}

TEST_CASE("a restart is a cascade unless the victim's domain explains it") {
  chaos::tree_events ev;
  auto t0 = chaos::steady::now();
  namespace sup = cafmcp::supervision;
  ev.add({sup::report_kind::restarting, "connection_pool_sup", "pool_3", t0 + 1ms});
  ev.add({sup::report_kind::restarting, "core_sup", "registry", t0 + 2ms});
  ev.add({sup::report_kind::child_started, "config_sup", "task_manager", t0 + 3ms});
  std::vector<chaos::victim> pool3{{"pool_3", domain_kind::pool}};
  auto c = ev.cascades(pool3, t0, t0 + 1s);
  REQUIRE(c.size() == 1);
  CHECK(c[0].supervisor == "core_sup");
  std::vector<chaos::victim> both{{"pool_3", domain_kind::pool},
                                  {"registry", domain_kind::registry}};
  CHECK(ev.cascades(both, t0, t0 + 1s).empty());
  // A server's death restarts nothing: any restart is a cascade.
  std::vector<chaos::victim> server{{"session:x", domain_kind::server}};
  CHECK(ev.cascades(server, t0, t0 + 1s).size() == 2);
  auto started = ev.await_started("config_sup", "task_manager", t0, t0 + 10ms);
  REQUIRE(started);
  CHECK(*started == t0 + 3ms);
  CHECK(!ev.await_started("config_sup", "task_manager", t0 + 4ms, chaos::steady::now()));
}

TEST_CASE("pool kill analysis: impact, registered and serving times from the session logs") {
  auto t0 = chaos::steady::now();
  chaos::load_logs logs;
  // Ten sessions, one per pool; pool 3's session dies at the kill and
  // re-initializes 40 ms later into pool 3 again.
  for (std::size_t p = 0; p < 10; ++p) {
    auto log = std::make_shared<chaos::session_log>("http");
    auto inc = log->opened(t0);
    log->identified(inc, "s" + std::to_string(p), p);
    for (int k = 0; k < 10; ++k) {
      auto at = t0 + std::chrono::milliseconds{100 * k};
      bool dead = p == 3 && at >= t0 + 500ms && at < t0 + 540ms;
      log->record({at, at + 1ms, inc, !dead});
    }
    if (p == 3) {
      auto again = log->opened(t0 + 540ms);
      log->identified(again, "s3b", 3);
      log->record({t0 + 550ms, t0 + 551ms, again, true});
    }
    logs.push_back(log);
  }
  chaos::scenario_result r;
  r.injections.resize(1);
  chaos::victim_result v;
  v.who = {"pool_3", domain_kind::pool};
  v.running_ms = 2.0;
  r.injections[0].victims.push_back(v);
  chaos::analysis_input in;
  in.logs = &logs;
  in.run_start = t0;
  in.run_end = t0 + 1s;
  in.kill_times = {t0 + 500ms};
  in.num_pools = 10;
  chaos::analyze(r, in);
  auto& got = r.injections[0];
  CHECK(got.affected == 1);
  CHECK(got.domain_share == doctest::Approx(0.1));
  CHECK(got.impact_within_share());
  REQUIRE(got.victims[0].registered_ms);
  CHECK(*got.victims[0].registered_ms == doctest::Approx(40.0));
  REQUIRE(got.victims[0].serving_ms);
  CHECK(*got.victims[0].serving_ms == doctest::Approx(51.0));
  CHECK(r.overall.failed == 1);
  CHECK(r.inside.failed == 1);
  CHECK(r.outside.failed == 0);
  CHECK(r.availability_measured == doctest::Approx(100.0 / 101.0));
  // One pool of ten down ~51 ms of a 1 s run: a model of about 99.5 %.
  CHECK(r.availability_model == doctest::Approx(1.0 - 0.1 * 0.051).epsilon(0.001));
  // Pools as backups of each other: nine never failed, so "100 %".
  CHECK(r.availability_backup_formula == 1.0);
  CHECK(r.pass());
}

TEST_CASE("a failure outside the killed domain counts against the impact") {
  auto t0 = chaos::steady::now();
  chaos::load_logs logs;
  for (std::size_t p = 0; p < 4; ++p) {
    auto log = std::make_shared<chaos::session_log>("tcp");
    auto inc = log->opened(t0);
    log->identified(inc, "s" + std::to_string(p), p);
    // Every session fails right after the kill: more than pool 0's share.
    log->record({t0 + 10ms, t0 + 11ms, inc, false});
    logs.push_back(log);
  }
  chaos::scenario_result r;
  r.injections.resize(1);
  chaos::victim_result v;
  v.who = {"pool_0", domain_kind::pool};
  v.running_ms = 1.0;
  r.injections[0].victims.push_back(v);
  chaos::analysis_input in;
  in.logs = &logs;
  in.run_start = t0;
  in.run_end = t0 + 1s;
  in.kill_times = {t0 + 5ms};
  chaos::analyze(r, in);
  CHECK(r.injections[0].affected == 4);
  CHECK_FALSE(r.injections[0].impact_within_share());
  CHECK_FALSE(r.pass());
}

TEST_CASE("a recovery slower than its SLA fails the run") {
  chaos::victim_result v;
  v.who = {"registry", domain_kind::registry};
  v.running_ms = 150.0;
  CHECK_FALSE(v.within_sla());
  v.running_ms = 20.0;
  CHECK(v.within_sla());
  v.kill_error = "no such actor";
  CHECK_FALSE(v.within_sla());
  chaos::victim_result missing;
  missing.who = {"pool_1", domain_kind::pool};
  CHECK_FALSE(missing.within_sla());
}

TEST_CASE("percentiles are nearest-rank") {
  auto s = chaos::summarize({5, 1, 4, 2, 3});
  CHECK(s.count == 5);
  CHECK(s.p50_ms == 3);
  CHECK(s.p99_ms == 5);
  CHECK(s.max_ms == 5);
  CHECK(chaos::summarize({}).count == 0);
}

TEST_CASE("listener lines become load endpoints") {
  auto http = chaos::endpoint_from_listener("http 127.0.0.1:8080/mcp");
  REQUIRE(http);
  CHECK(http->port == 8080);
  CHECK(http->path == "/mcp");
  CHECK(http->transport == cafmcp::client::client_transport::http);
  auto sse = chaos::endpoint_from_listener("sse 127.0.0.1:8081/sse,/messages");
  REQUIRE(sse);
  CHECK(sse->transport == cafmcp::client::client_transport::sse);
  auto ws = chaos::endpoint_from_listener("ws [::1]:8082/ws");
  REQUIRE(ws);
  CHECK(ws->host == "::1");
  CHECK(ws->transport == cafmcp::client::client_transport::websocket);
  CHECK(chaos::endpoint_from_listener("tcp 127.0.0.1:8083")->transport ==
        cafmcp::client::client_transport::tcp);
  CHECK(!chaos::endpoint_from_listener("admin 127.0.0.1:9090"));
  CHECK(!chaos::endpoint_from_listener("http 127.0.0.1:notaport/mcp"));
  CHECK(!chaos::endpoint_from_listener("garbage"));
}
