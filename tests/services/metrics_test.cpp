// Metrics: counters, gauges and histograms by name and labels, rejected updates, supervisor
// restarts and recovery times from the report group, the Prometheus text, and a crash that
// keeps every series.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "cafmcp/actors/services/metrics.hpp"
#include "cafmcp/actors/services/metrics_exposition.hpp"
#include "cafmcp/actors/services/metrics_snapshot.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

struct metrics_fixture : fixture {
  std::shared_ptr<metrics_store> store = std::make_shared<metrics_store>();
  metrics_settings settings;

  caf::actor start() {
    auto m = spawn(metrics, store, settings);
    snapshot(m); // a round trip: it has joined the report group by now
    return m;
  }

  // Fire-and-forget updates sent before by this fixture's own actor are in it (one sender's
  // messages keep their order); updates from helpers (anon_send) are not ordered with it.
  metrics_snapshot snapshot(const caf::actor& m) {
    auto s = ask<metrics_snapshot>(m, mx_snap_atom::value);
    REQUIRE(s);
    return *s;
  }

  void send(const caf::actor& m, metric_op op, std::string name, metric_labels labels,
            double value) {
    self->send(m, mx_update_atom::value,
               metric_update{op, std::move(name), std::move(labels), value});
  }
};

} // namespace

TEST_CASE("counters, gauges and histograms accumulate by name and labels") {
  metrics_fixture fx;
  auto m = fx.start();
  metric_labels ok{{"method", "tools/call"}, {"outcome", "ok"}};
  metric_labels err{{"outcome", "error"}, {"method", "tools/call"}};
  fx.send(m, metric_op::counter_add, "cafmcp_requests_total", ok, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_requests_total", ok, 2);
  fx.send(m, metric_op::counter_add, "cafmcp_requests_total", err, 1);
  fx.send(m, metric_op::gauge_set, "cafmcp_active_connections", {{"pool", "pool_3"}}, 10);
  fx.send(m, metric_op::gauge_add, "cafmcp_active_connections", {{"pool", "pool_3"}}, -3);
  for (double v : {0.0002, 0.003, 0.003, 0.7, 20.0})
    fx.send(m, metric_op::observe, "cafmcp_routing_seconds", {}, v);
  fx.self->send(m, mx_batch_atom::value,
                std::vector<metric_update>{{metric_op::counter_add, "cafmcp_batch_total", {}, 1},
                                           {metric_op::counter_add, "cafmcp_batch_total", {}, 1}});
  auto s = fx.snapshot(m);
  CHECK(counter_value(s, "cafmcp_requests_total", ok) == 3.0);
  CHECK(counter_value(s, "cafmcp_requests_total", err) == 1.0);
  CHECK(counter_value(s, "cafmcp_batch_total") == 2.0);
  CHECK(gauge_value(s, "cafmcp_active_connections", {{"pool", "pool_3"}}) == 7.0);
  CHECK(!gauge_value(s, "cafmcp_active_connections", {{"pool", "pool_4"}}));
  auto* h = find_histogram(s, "cafmcp_routing_seconds");
  REQUIRE(h);
  CHECK(h->bounds == default_seconds_buckets());
  REQUIRE(h->cumulative.size() == h->bounds.size() + 1);
  auto le = [&](double bound) {
    for (std::size_t i = 0; i < h->bounds.size(); ++i)
      if (h->bounds[i] == bound)
        return h->cumulative[i];
    return std::uint64_t{999};
  };
  CHECK(le(0.0001) == 0u);
  CHECK(le(0.00025) == 1u);
  CHECK(le(0.0025) == 1u);
  CHECK(le(0.005) == 3u);
  CHECK(le(1) == 4u);
  CHECK(le(10) == 4u);
  CHECK(h->cumulative.back() == 5u); // +Inf
  CHECK(h->count == 5u);
  CHECK(h->sum == doctest::Approx(20.7062));
  CHECK(s.rejected == 0u);
}

TEST_CASE("the fire-and-forget helpers reach the service and ignore a missing one") {
  metrics_fixture fx;
  auto m = fx.start();
  count(m, "cafmcp_helper_total", {{"k", "v"}});
  count(m, "cafmcp_helper_total", {{"k", "v"}}, 2);
  gauge_set(m, "cafmcp_helper_gauge", {}, 5);
  gauge_add(m, "cafmcp_helper_gauge", {}, 1);
  observe(m, "cafmcp_helper_seconds", {}, 0.01);
  count(caf::actor{}, "cafmcp_nowhere_total"); // no metrics service: nothing happens
  CHECK(fx.eventually([&] {
    auto s = fx.snapshot(m);
    auto* h = find_histogram(s, "cafmcp_helper_seconds");
    return counter_value(s, "cafmcp_helper_total", {{"k", "v"}}) == 3.0 &&
           gauge_value(s, "cafmcp_helper_gauge") == 6.0 && h && h->count == 1;
  }));
}

TEST_CASE("malformed updates, kind clashes and too many series are dropped and counted") {
  metrics_fixture fx;
  fx.settings.limits.max_series = 3;
  auto m = fx.start();
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {}, 1);
  fx.send(m, metric_op::counter_add, "9starts_with_digit", {}, 1);
  fx.send(m, metric_op::counter_add, "has-dash", {}, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {{"bad-label", "x"}}, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {{"__reserved", "x"}}, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {{"le", "x"}}, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {}, -1); // counters only go up
  fx.send(m, metric_op::gauge_set, "cafmcp_ok_total", {}, 1);    // already a counter
  fx.send(m, metric_op::observe, "cafmcp_nan_seconds", {}, std::nan(""));
  fx.send(m, metric_op::gauge_set, "cafmcp_inf", {}, std::numeric_limits<double>::infinity());
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {{"a", "1"}}, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {{"a", "2"}}, 1);
  fx.send(m, metric_op::counter_add, "cafmcp_ok_total", {{"a", "3"}}, 1); // a 4th series
  auto s = fx.snapshot(m);
  CHECK(s.rejected == 10u);
  CHECK(counter_value(s, "cafmcp_ok_total") == 1.0);
  CHECK(s.counters.size() == 3u);
  CHECK(s.gauges.empty());
}

TEST_CASE("supervisor restarts and recovery times are recorded per supervisor and child") {
  metrics_fixture fx;
  auto m = fx.start();
  auto supervisor = fx.supervise(peer_spec("worker_a"), "pool_sup");
  auto restarted = fx.kill_and_await_restart(supervisor, "pool_sup", "worker_a");
  REQUIRE(restarted);
  restarted = fx.kill_and_await_restart(supervisor, "pool_sup", "worker_a");
  REQUIRE(restarted);
  metric_labels labels{{"supervisor", "pool_sup"}, {"child", "worker_a"}};
  REQUIRE(fx.eventually([&] {
    auto s = fx.snapshot(m);
    auto* h = find_histogram(s, metric_names::recovery, labels);
    return h && h->count == 2;
  }));
  auto s = fx.snapshot(m);
  CHECK(counter_value(s, metric_names::restarts, labels) == 2.0);
  CHECK(counter_value(s, metric_names::child_exits, labels) == 2.0);
  auto* h = find_histogram(s, metric_names::recovery, labels);
  CHECK(h->sum > 0.0);
  CHECK(h->sum < 10.0);
  auto last = gauge_value(s, metric_names::last_recovery, labels);
  REQUIRE(last);
  CHECK(*last > 0.0);
}

TEST_CASE("a recovery in progress is measured across a restart of the metrics store's owner") {
  // The pairing state lives in the store: a terminated report seen by one incarnation and the
  // started report seen by the next still make one measurement.
  metrics_store store;
  metrics_limits limits;
  sup::supervisor_report r;
  r.supervisor = "core_sup";
  r.child_id = "registry";
  r.kind = sup::report_kind::child_terminated;
  r.steady_ns = 1'000'000'000;
  store.on_report(r, limits);
  r.kind = sup::report_kind::restarting;
  store.on_report(r, limits);
  r.kind = sup::report_kind::child_started;
  r.steady_ns = 1'004'000'000; // 4 ms later
  store.on_report(r, limits);
  r.kind = sup::report_kind::child_started; // a start without a termination: nothing to pair
  store.on_report(r, limits);
  r.kind = sup::report_kind::max_intensity_reached;
  store.on_report(r, limits);
  auto s = store.snapshot();
  metric_labels labels{{"supervisor", "core_sup"}, {"child", "registry"}};
  auto* h = find_histogram(s, metric_names::recovery, labels);
  REQUIRE(h);
  CHECK(h->count == 1u);
  CHECK(h->sum == doctest::Approx(0.004));
  CHECK(counter_value(s, metric_names::restarts, labels) == 1.0);
  CHECK(counter_value(s, metric_names::max_intensity, {{"supervisor", "core_sup"}}) == 1.0);
}

TEST_CASE("a snapshot renders as Prometheus text, as /metrics writes it") {
  metrics_store store;
  metrics_limits limits;
  limits.buckets = {0.1, 1};
  REQUIRE(store.apply({metric_op::counter_add,
                       "cafmcp_requests_total",
                       {{"method", "tools/call"}, {"note", "a \"quoted\"\\value"}},
                       2},
                      limits));
  REQUIRE(store.apply({metric_op::gauge_set, "cafmcp_up", {}, 1}, limits));
  REQUIRE(
      store.apply({metric_op::observe, "cafmcp_latency_seconds", {{"pool", "p0"}}, 0.5}, limits));
  metrics_exposition exposition;
  exposition.snapshot(store.snapshot(), [](const std::string& name) { return "about " + name; });
  const auto& text = exposition.text();
  CHECK(text.find("# HELP cafmcp_up about cafmcp_up\n# TYPE cafmcp_up gauge\n") !=
        std::string::npos);
  CHECK(text.find("# TYPE cafmcp_requests_total counter\n") != std::string::npos);
  CHECK(text.find(R"(cafmcp_requests_total{method="tools/call",note="a \"quoted\"\\value"} 2)") !=
        std::string::npos);
  CHECK(text.find("# TYPE cafmcp_up gauge\ncafmcp_up 1\n") != std::string::npos);
  CHECK(text.find(R"(cafmcp_latency_seconds_bucket{pool="p0",le="0.1"} 0)") != std::string::npos);
  CHECK(text.find(R"(cafmcp_latency_seconds_bucket{pool="p0",le="1"} 1)") != std::string::npos);
  CHECK(text.find(R"(cafmcp_latency_seconds_bucket{pool="p0",le="+Inf"} 1)") != std::string::npos);
  CHECK(text.find(R"(cafmcp_latency_seconds_count{pool="p0"} 1)") != std::string::npos);
}

TEST_CASE("metrics crash keeps its metrics") {
  metrics_fixture fx;
  auto ref = std::make_shared<service_ref>();
  fx.settings.ref = ref;
  auto supervisor = fx.supervise(metrics_spec(fx.store, fx.settings), "monitoring_sup");
  auto m = fx.child(supervisor, "metrics");
  REQUIRE(m);
  CHECK(ref->get() == m);
  fx.send(m, metric_op::counter_add, "cafmcp_requests_total", {}, 41);
  fx.send(m, metric_op::observe, "cafmcp_routing_seconds", {}, 0.001);
  REQUIRE(counter_value(fx.snapshot(m), "cafmcp_requests_total") == 41.0);

  auto restarted = fx.kill_and_await_restart(supervisor, "monitoring_sup", "metrics");
  REQUIRE(restarted);
  CHECK(ref->get() == restarted); // callers find the new incarnation
  fx.send(restarted, metric_op::counter_add, "cafmcp_requests_total", {}, 1);
  auto s = fx.snapshot(restarted);
  CHECK(counter_value(s, "cafmcp_requests_total") == 42.0);
  REQUIRE(find_histogram(s, "cafmcp_routing_seconds"));
  CHECK(find_histogram(s, "cafmcp_routing_seconds")->count == 1u);
  // The new incarnation joined the report group again.
  auto other = fx.supervise(peer_spec("worker_b"), "other_sup");
  REQUIRE(fx.kill_and_await_restart(other, "other_sup", "worker_b"));
  CHECK(fx.eventually([&] {
    return counter_value(fx.snapshot(restarted), metric_names::restarts,
                         {{"supervisor", "other_sup"}, {"child", "worker_b"}}) == 1.0;
  }));
}
