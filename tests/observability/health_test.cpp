// /health, /health/live and /health/ready: 200 while the node serves, 503 when
// no pool admits sessions or the tree is stopped.
#include <doctest/doctest.h>

#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "obs_support.hpp"

using obs_test::admin_fixture;
using obs_test::json;

TEST_CASE("health is 200 per domain while the node serves") {
  admin_fixture f;
  REQUIRE(obs_test::within([&] { return f.get("/health", false).status == 200; }));
  auto h = json::parse(f.get("/health", false).body);
  CHECK(h["serving"] == true);
  CHECK(h["status"] == "up");
  CHECK(h["pools_admitting"] == 4);
  std::set<std::string> domains;
  for (auto& d : h["domains"])
    domains.insert(d["name"].get<std::string>());
  CHECK(domains == std::set<std::string>{"core_sup", "monitoring_sup", "config_sup",
                                         "connection_pool_sup", "transport_sup"});
  for (auto& d : h["domains"])
    if (d["name"] == "connection_pool_sup")
      CHECK(d["pools"].size() == 4);
  auto ready = f.get("/health/ready", false);
  CHECK(ready.status == 200);
  CHECK(json::parse(ready.body)["status"] == "ready");
  auto live = f.get("/health/live", false);
  CHECK(live.status == 200);
  CHECK(json::parse(live.body)["status"] == "alive");
  CHECK(f.get("/health", false).head.find("application/json") != std::string::npos);
  CHECK(obs_test::http(f.port, "POST", "/health").status == 405);
}

TEST_CASE("health and readiness are 503 when every pool is out of rotation") {
  // One crash within the window takes a pool out of rotation (failure.*).
  admin_fixture f{[](cafmcp::app::node_config& c) {
    c.failure.pool_max_consecutive_crashes = 1;
    c.failure.pool_crash_window = std::chrono::minutes{10};
  }};
  REQUIRE(obs_test::within([&] { return f.get("/health/ready", false).status == 200; }));
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 4; ++i) {
      auto name = "pool_" + std::to_string(i);
      REQUIRE(f.kill(name).status == 200);
      // Wait for the restart before killing it again (each crash must count).
      REQUIRE(obs_test::within([&] {
        auto text = f.get("/metrics", false).body;
        auto key = "cafmcp_supervisor_restarts_total{child=\"" + name +
                   "\",supervisor=\"connection_pool_sup\"} " + std::to_string(round + 1);
        return text.find(key) != std::string::npos;
      }));
    }
  REQUIRE(obs_test::within([&] { return f.get("/health/ready", false).status == 503; }));
  auto ready = json::parse(f.get("/health/ready", false).body);
  CHECK(ready["status"] == "not_ready");
  CHECK(ready["pools_admitting"] == 0);
  auto h = f.get("/health", false);
  CHECK(h.status == 503);
  CHECK(json::parse(h.body)["serving"] == false);
  // The process itself is alive: restarting it is not the answer.
  CHECK(f.get("/health/live", false).status == 200);
}

TEST_CASE("health and readiness are 503 once the tree is stopped") {
  admin_fixture f;
  REQUIRE(obs_test::within([&] { return f.get("/health", false).status == 200; }));
  REQUIRE(!f.node->stop());
  auto h = f.get("/health", false);
  CHECK(h.status == 503);
  CHECK(json::parse(h.body)["tree_running"] == false);
  CHECK(f.get("/health/ready", false).status == 503);
  CHECK(f.get("/health/live", false).status == 200);
}

TEST_CASE("a monitoring domain that is down degrades health but the node still serves") {
  admin_fixture f;
  auto s = f.open_initialized();
  REQUIRE(s);
  REQUIRE(obs_test::within([&] { return f.get("/health", false).status == 200; }));
  // Stopped by its supervisor (OTP terminate_child): it stays down until restart_child.
  REQUIRE(!cafmcp::supervision::terminate_child(f.sys, f.node->root(), "monitoring_sup"));
  auto monitoring_down = [&] {
    auto doc = json::parse(f.get("/health", false).body);
    for (auto& d : doc["domains"])
      if (d["name"] == "monitoring_sup")
        return d["status"] == "down";
    return false;
  };
  REQUIRE(obs_test::within(monitoring_down));
  auto h = f.get("/health", false);
  CHECK(h.status == 200);
  CHECK(json::parse(h.body)["status"] == "degraded");
  CHECK(f.get("/health/ready", false).status == 200);
  CHECK(f.serves(*s));
  CHECK(f.get("/metrics", false).status == 200);
  REQUIRE(cafmcp::supervision::restart_child(f.sys, f.node->root(), "monitoring_sup"));
  CHECK(obs_test::within([&] {
    auto r = f.get("/health", false);
    return r.status == 200 && json::parse(r.body)["status"] == "up";
  }));
}
