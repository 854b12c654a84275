// /dashboard and its event stream: a self-contained page, the token rules for a
// browser, and a pool kill visible in the stream within a second.
#include <doctest/doctest.h>

#include <regex>

#include "obs_support.hpp"

using obs_test::admin_fixture;
using obs_test::json;

namespace {

const json* find_node(const json& n, const std::string& name) {
  if (n.value("name", "") == name)
    return &n;
  if (n.contains("children"))
    for (auto& c : n["children"])
      if (auto* x = find_node(c, name))
        return x;
  return nullptr;
}

uint64_t restarts_of(const json& doc, const std::string& pool) {
  for (auto& p : doc["pools"])
    if (p["name"] == pool)
      return p["restarts"].get<uint64_t>();
  return UINT64_MAX;
}

} // namespace

TEST_CASE("the dashboard page is self-contained and needs the token") {
  admin_fixture f;
  auto anonymous = f.get("/dashboard", false);
  CHECK(anonymous.status == 401);
  auto wrong = obs_test::http(f.port, "GET", "/dashboard?token=nope");
  CHECK(wrong.status == 401);
  auto page = obs_test::http(f.port, "GET", "/dashboard?token=" + f.token);
  REQUIRE(page.status == 200);
  CHECK(page.head.find("text/html") != std::string::npos);
  CHECK(page.body.find("<!doctype html>") == 0);
  CHECK(page.body.find("/dashboard/events") != std::string::npos);
  // Nothing loaded from elsewhere: no absolute URL anywhere in the page.
  CHECK(page.body.find("http://") == std::string::npos);
  CHECK(page.body.find("https://") == std::string::npos);
  CHECK(page.body.find("src=") == std::string::npos);
  // The query token opens only the read-only pages.
  CHECK(obs_test::http(f.port, "POST", "/kill?name=pool_0&token=" + f.token).status == 401);
  CHECK(obs_test::http(f.port, "GET", "/tree?token=" + f.token).status == 401);
}

TEST_CASE("the dashboard stream shows the tree and a killed pool's restart within a second") {
  admin_fixture f;
  obs_test::event_reader events{f.port, "/dashboard/events?token=" + f.token};
  REQUIRE(events.connected());
  auto first = events.next_update();
  REQUIRE_FALSE(first.empty());
  CHECK(events.head().find("text/event-stream") != std::string::npos);
  auto doc = json::parse(first);
  // Every supervisor of the tree, with its state.
  for (auto name : {"cafmcp_sup", "core_sup", "monitoring_sup", "config_sup", "connection_pool_sup",
                    "transport_sup", "pool_0", "pool_3"}) {
    auto* n = find_node(doc["tree"], name);
    REQUIRE_MESSAGE(n != nullptr, name);
    CHECK((*n)["status"] == "running");
    CHECK((*n)["type"] == "supervisor");
  }
  CHECK(find_node(doc["tree"], "registry") != nullptr);
  CHECK(doc["pools"].size() == 4);
  CHECK(restarts_of(doc, "pool_3") == 0);
  CHECK(doc.contains("alerts"));
  CHECK(doc["health"].contains("domains"));

  auto killed_at = std::chrono::steady_clock::now();
  REQUIRE(f.kill("pool_3").status == 200);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() - killed_at < std::chrono::seconds{5}) {
    auto next = events.next_update(std::chrono::seconds{5});
    REQUIRE_FALSE(next.empty());
    seen = restarts_of(json::parse(next), "pool_3") == 1;
  }
  auto took = std::chrono::steady_clock::now() - killed_at;
  REQUIRE(seen);
  MESSAGE("kill -> restart on the stream: "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < std::chrono::seconds{1});
}

TEST_CASE("the dashboard stream ends cleanly when the client leaves") {
  admin_fixture f;
  for (int i = 0; i < 40; ++i) {
    obs_test::event_reader events{f.port, "/dashboard/events?token=" + f.token};
    REQUIRE(events.connected());
    REQUIRE_FALSE(events.next_update().empty());
  }
  // Streams were released: a new one still opens (at most 32 at once).
  obs_test::event_reader events{f.port, "/dashboard/events?token=" + f.token};
  CHECK_FALSE(events.next_update().empty());
  CHECK(f.get("/health/live", false).status == 200);
}
