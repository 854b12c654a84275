// The routing table on its own: sharding, counting, conditional removal, the server index, and
// direct reads from many threads while it is written.
#include <algorithm>
#include <atomic>
#include <thread>

#include <doctest/doctest.h>

#include "registry/registry_test_support.hpp"

using namespace cafmcp::registry;
using namespace cafmcp::registry::test;

namespace {

route make_route(const caf::actor& server, std::size_t pool) {
  return route{server, pool, std::chrono::system_clock::now()};
}

} // namespace

TEST_CASE("table spreads ids over all of its shards") {
  registry_table table{8};
  std::vector<std::size_t> per_shard(table.num_shards(), 0);
  for (int i = 0; i < 8000; ++i)
    ++per_shard[table.shard_of("conn-" + std::to_string(i))];
  for (auto n : per_shard) {
    CHECK(n > 800u);
    CHECK(n < 1200u);
  }
  CHECK(registry_table{0}.num_shards() == 1u);
}

TEST_CASE("table keeps the first route of an id and counts routes per pool") {
  registry_fixture fx;
  auto a = fx.spawn_server();
  auto b = fx.spawn_server();
  registry_table table{4};
  CHECK(!table.try_insert("s1", make_route(a, 2)));
  CHECK(!table.try_insert("s2", make_route(a, 2)));
  CHECK(!table.try_insert("s3", make_route(b, 5)));
  auto clash = table.try_insert("s1", make_route(b, 5));
  REQUIRE(clash);
  CHECK(clash->server == a);
  CHECK(table.find("s1")->server == a);
  CHECK(table.size() == 3u);
  CHECK(table.count_in_pool(2) == 2u);
  CHECK(table.count_in_pool(5) == 1u);
  CHECK(table.count_in_pool(9) == 0u);
  auto removed = table.erase("s2");
  REQUIRE(removed);
  CHECK(removed->pool == 2u);
  CHECK(table.count_in_pool(2) == 1u);
  CHECK(!table.erase("s2"));
  CHECK(table.snapshot().size() == 2u);
  table.clear();
  CHECK(table.size() == 0u);
  CHECK(table.count_in_pool(5) == 0u);
}

TEST_CASE("table removes a route on a server's death only while it names that server") {
  registry_fixture fx;
  auto a = fx.spawn_server();
  auto b = fx.spawn_server();
  registry_table table{4};
  REQUIRE(!table.try_insert("s1", make_route(b, 0)));
  CHECK(!table.erase_if_server("s1", a.address()));
  CHECK(table.find("s1")->server == b);
  CHECK(table.erase_if_server("s1", b.address()));
  CHECK(!table.find("s1"));
  CHECK(!table.has_routes(b.id()));
  CHECK(!table.erase_if_server("s1", b.address()));
}

TEST_CASE("table indexes routes by server and removes a server's routes together") {
  registry_fixture fx;
  auto a = fx.spawn_server();
  auto b = fx.spawn_server();
  registry_table table{4};
  REQUIRE(!table.try_insert("a1", make_route(a, 0)));
  REQUIRE(!table.try_insert("a2", make_route(a, 1)));
  REQUIRE(!table.try_insert("b1", make_route(b, 0)));
  CHECK(table.has_routes(a.id()));
  CHECK(table.has_routes(b.id()));
  // Every server is listed in exactly one part of the index.
  std::vector<caf::actor_id> listed;
  for (std::size_t part = 0; part < registry_table::index_parts; ++part)
    for (auto id : table.servers_in(part))
      listed.push_back(id);
  std::sort(listed.begin(), listed.end());
  std::vector<caf::actor_id> both{a.id(), b.id()};
  std::sort(both.begin(), both.end());
  CHECK(listed == both);
  CHECK(table.servers_in(registry_table::index_parts).empty());
  REQUIRE(table.erase("a1"));
  CHECK(table.has_routes(a.id()));
  REQUIRE(table.erase("b1"));
  CHECK(!table.has_routes(b.id()));
  // b1 now belongs to a; b registers another id.
  REQUIRE(!table.try_insert("b1", make_route(a, 0)));
  REQUIRE(!table.try_insert("x", make_route(b, 2)));
  CHECK(table.erase_server(a.address()) == 2u);
  CHECK(!table.find("a2"));
  CHECK(!table.find("b1"));
  CHECK(table.find("x"));
  CHECK(!table.has_routes(a.id()));
  CHECK(table.count_in_pool(0) == 0u);
  CHECK(table.count_in_pool(1) == 0u);
  CHECK(table.count_in_pool(2) == 1u);
  CHECK(table.erase_server(a.address()) == 0u);
  CHECK(table.erase_server(caf::actor_addr{}) == 0u);
  table.clear();
  CHECK(!table.has_routes(b.id()));
}

TEST_CASE("table hands a server's watch over once per watcher") {
  registry_fixture fx;
  auto s = fx.spawn_server();
  caf::scoped_actor w1{fx.sys};
  caf::scoped_actor w2{fx.sys};
  registry_table table{2};
  // Without routes there is nothing to watch.
  CHECK(!table.take_watch(s.id(), w1->address()));
  REQUIRE(!table.try_insert("s", make_route(s, 0)));
  auto first = table.take_watch(s.id(), w1->address());
  REQUIRE(first);
  CHECK(first->server == s);
  CHECK(!first->previous);
  CHECK(table.watched_by(s.id(), w1->address()));
  CHECK(!table.take_watch(s.id(), w1->address()));
  auto second = table.take_watch(s.id(), w2->address());
  REQUIRE(second);
  CHECK(second->previous == w1->address());
  CHECK(!table.watched_by(s.id(), w1->address()));
  CHECK(table.watched_by(s.id(), w2->address()));
  // The server's last route takes its watch with it: a new route starts unwatched.
  REQUIRE(table.erase("s"));
  CHECK(!table.watched_by(s.id(), w2->address()));
  REQUIRE(!table.try_insert("s", make_route(s, 0)));
  CHECK(table.take_watch(s.id(), w2->address()));
  table.clear();
}

TEST_CASE("table remembers where a registry's walk over the index got to") {
  registry_table table{2};
  CHECK(table.rebuild_cursor() == 0u);
  table.set_rebuild_cursor(5);
  CHECK(table.rebuild_cursor() == 5u);
  table.set_rebuild_cursor(registry_table::index_parts + 1);
  CHECK(table.rebuild_cursor() == 1u);
}

TEST_CASE("table serves direct lookups from many threads while it is written") {
  registry_fixture fx;
  auto servers = fx.spawn_servers(64);
  registry_table table{16};
  constexpr int stable_ids = 10000;
  for (int i = 0; i < stable_ids; ++i)
    REQUIRE(!table.try_insert("stable-" + std::to_string(i), make_route(servers[i % 64], 0)));
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> lookups{0};
  std::atomic<std::size_t> misses{0};
  auto reader = [&] {
    std::size_t n = 0;
    std::size_t missed = 0;
    for (int i = 0; !stop.load(std::memory_order_relaxed); i = (i + 7919) % stable_ids) {
      auto found = table.find("stable-" + std::to_string(i));
      if (!found || found->server != servers[i % 64])
        ++missed;
      ++n;
    }
    lookups += n;
    misses += missed;
  };
  // One writer, as the registry actor would be: churns other ids in every shard.
  auto writer = [&] {
    for (int round = 0; round < 20; ++round) {
      for (int i = 0; i < 1000; ++i)
        table.try_insert("churn-" + std::to_string(i), make_route(servers[i % 64], 1));
      for (int i = 0; i < 1000; ++i)
        table.erase("churn-" + std::to_string(i));
    }
  };
  auto start = clock_type::now();
  std::thread r1{reader};
  std::thread r2{reader};
  std::thread w{writer};
  w.join();
  stop = true;
  r1.join();
  r2.join();
  auto elapsed = ms_since(start);
  CHECK(misses.load() == 0u);
  CHECK(table.size() == static_cast<std::size_t>(stable_ids));
  CHECK(table.count_in_pool(1) == 0u);
  MESSAGE("direct table lookups: " << lookups.load() << " in " << elapsed << " ms by 2 reader "
                                   << "threads beside 1 writer = "
                                   << static_cast<double>(lookups.load()) / elapsed * 1000.0
                                   << " lookups/s");
  table.clear();
}
