// Pool choice: stable hashing, an even spread over the pools, and skipping unhealthy pools.
#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "cafmcp/registry/pool_selector.hpp"
#include "cafmcp/registry/registry_error.hpp"
#include "cafmcp/registry/stable_hash.hpp"

using namespace cafmcp::registry;

namespace {

// FNV-1a reference vectors: the algorithm itself must never drift.
static_assert(fnv1a_64("") == 0xcbf29ce484222325ull);
static_assert(fnv1a_64("a") == 0xaf63dc4c8601ec8cull);
static_assert(fnv1a_64("foobar") == 0x85944171f73967e8ull);

constexpr std::size_t num_ids = 15000;
constexpr std::size_t num_pools = 10;

// UUID-like session ids from a fixed-seed generator. mt19937_64's output sequence is fixed by
// the standard, and the raw numbers are formatted directly (distributions are
// implementation-defined), so these ids are the same with every standard library.
std::vector<std::string> uuid_like_ids(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 gen{seed};
  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto a = gen();
    auto b = gen();
    char buf[40];
    std::snprintf(buf, sizeof(buf),
                  "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64, a >> 32,
                  (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                  static_cast<std::uint64_t>(b & 0xffffffffffffull));
    ids.emplace_back(buf);
  }
  return ids;
}

std::vector<std::string> sequential_ids(std::size_t n) {
  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::size_t i = 1; i <= n; ++i)
    ids.push_back("conn-" + std::to_string(i));
  return ids;
}

std::vector<std::size_t> spread(const pool_selector& sel, const std::vector<std::string>& ids) {
  std::vector<std::size_t> per_pool(sel.num_pools(), 0);
  for (auto& id : ids) {
    auto pool = sel.select(id);
    REQUIRE(pool);
    ++per_pool[*pool];
  }
  return per_pool;
}

// Each pool within ±5% of an even share. Note for readers: with 15,000 ids and 10 pools the
// standard deviation of a pool's count under an ideal random hash is about 37, so ±5% (75) is
// about 2 sigma per pool; the fixed id sets below pass, and the spread is printed.
void check_even(const std::vector<std::size_t>& per_pool, std::size_t total) {
  auto even = static_cast<double>(total) / static_cast<double>(per_pool.size());
  std::string figures;
  for (auto n : per_pool)
    figures += std::to_string(n) + " ";
  MESSAGE("per pool: " << figures << "(even share " << even << ")");
  for (std::size_t pool = 0; pool < per_pool.size(); ++pool) {
    CAPTURE(pool);
    CHECK(static_cast<double>(per_pool[pool]) >= even * 0.95);
    CHECK(static_cast<double>(per_pool[pool]) <= even * 1.05);
  }
}

} // namespace

TEST_CASE("stable hash gives the same value on every run and machine") {
  // Pinned values: if these change, every deployed session id maps to a different pool.
  CHECK(stable_hash("session-42") == 7379753083535905905ull);
  CHECK(stable_hash("conn-1") == mix64(fnv1a_64("conn-1")));
  CHECK(stable_hash("conn-1", 1) != stable_hash("conn-1"));
  CHECK(pool_selector::home_pool("session-42", 10) == 5u);
}

TEST_CASE("15,000 random session ids spread within 5% over 10 pools") {
  pool_selector sel{num_pools};
  check_even(spread(sel, uuid_like_ids(num_ids, 42)), num_ids);
}

TEST_CASE("15,000 sequential connection ids spread within 5% over 10 pools") {
  pool_selector sel{num_pools};
  check_even(spread(sel, sequential_ids(num_ids)), num_ids);
}

TEST_CASE("the same id always gets the same pool") {
  pool_selector sel{num_pools};
  pool_selector other{num_pools};
  for (auto& id : uuid_like_ids(1000, 7)) {
    auto first = sel.select(id);
    REQUIRE(first);
    CHECK(*first == *sel.select(id));
    CHECK(*first == *other.select(id));
    CHECK(*first == pool_selector::home_pool(id, num_pools));
  }
}

TEST_CASE("an unhealthy pool is skipped and its ids spread over the healthy pools") {
  pool_selector sel{num_pools};
  auto ids = uuid_like_ids(num_ids, 42);
  std::vector<std::size_t> before;
  for (auto& id : ids)
    before.push_back(*sel.select(id));
  REQUIRE(!sel.mark_unhealthy(3));
  CHECK(!sel.is_healthy(3));
  CHECK(sel.healthy_count() == num_pools - 1);
  std::vector<std::size_t> displaced_to(num_pools, 0);
  std::size_t displaced = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto pool = sel.select(ids[i]);
    REQUIRE(pool);
    CHECK(*pool != 3u);
    if (before[i] == 3) {
      ++displaced;
      ++displaced_to[*pool];
    } else {
      // Ids of healthy pools never move.
      CHECK(*pool == before[i]);
    }
  }
  // The displaced ids go to every healthy pool, not all to one neighbour: each gets at least
  // half of an even share of them (the expected share is displaced / 9, about 167).
  for (std::size_t pool = 0; pool < num_pools; ++pool) {
    if (pool == 3)
      continue;
    CAPTURE(pool);
    CHECK(displaced_to[pool] * 2 * (num_pools - 1) >= displaced);
  }
}

TEST_CASE("a readmitted pool gets its ids back") {
  pool_selector sel{num_pools};
  auto ids = sequential_ids(2000);
  std::vector<std::size_t> before;
  for (auto& id : ids)
    before.push_back(*sel.select(id));
  REQUIRE(!sel.mark_unhealthy(0));
  REQUIRE(!sel.mark_unhealthy(7));
  for (auto& id : ids) {
    auto pool = sel.select(id);
    REQUIRE(pool);
    CHECK(*pool != 0u);
    CHECK(*pool != 7u);
  }
  REQUIRE(!sel.mark_healthy(0));
  REQUIRE(!sel.mark_healthy(7));
  CHECK(sel.healthy_count() == num_pools);
  for (std::size_t i = 0; i < ids.size(); ++i)
    CHECK(*sel.select(ids[i]) == before[i]);
}

TEST_CASE("with every pool unhealthy the selector answers no_healthy_pool") {
  pool_selector sel{3};
  for (std::size_t pool = 0; pool < 3; ++pool)
    REQUIRE(!sel.mark_unhealthy(pool));
  auto pool = sel.select("conn-1");
  REQUIRE(!pool);
  CHECK(is(pool.error(), registry_errc::no_healthy_pool));
  REQUIRE(!sel.mark_healthy(1));
  CHECK(*sel.select("conn-1") == 1u);
}

TEST_CASE("a selector without pools or with an out-of-range pool reports errors") {
  pool_selector none{0};
  auto pool = none.select("conn-1");
  REQUIRE(!pool);
  CHECK(is(pool.error(), registry_errc::no_healthy_pool));
  pool_selector sel{4};
  CHECK(is(sel.mark_unhealthy(4), registry_errc::invalid_argument));
  CHECK(is(sel.mark_healthy(99), registry_errc::invalid_argument));
  CHECK(sel.healthy_count() == 4u);
}
