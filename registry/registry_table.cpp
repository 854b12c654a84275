#include "cafmcp/registry/registry_table.hpp"

#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "cafmcp/registry/stable_hash.hpp"

namespace cafmcp::registry {

namespace {

constexpr std::uint64_t shard_seed = 0x5eed5a4dull;

} // namespace

// Aligned to a cache line so that two shards' locks never share one (false sharing between
// threads that work on different shards).
struct alignas(64) registry_table::shard {
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, route> routes;
  // Entries of this shard per pool, indexed by pool and grown on demand, so that per-pool counts
  // cost one pass over the shards rather than one over every route.
  std::vector<std::size_t> per_pool;

  void count_in(std::size_t pool) {
    if (per_pool.size() <= pool)
      per_pool.resize(pool + 1, 0);
    ++per_pool[pool];
  }

  void count_out(std::size_t pool) { --per_pool[pool]; }
};

registry_table::registry_table(std::size_t num_shards)
    : num_shards_(num_shards == 0 ? 1 : num_shards), shards_(new shard[num_shards_]) {
  // nop
}

registry_table::~registry_table() = default;

std::size_t registry_table::shard_of(const std::string& id) const noexcept {
  return static_cast<std::size_t>(stable_hash(id, shard_seed) % num_shards_);
}

std::optional<route> registry_table::try_insert(const std::string& id, route r) {
  auto& s = shards_[shard_of(id)];
  std::unique_lock guard{s.mutex};
  auto pool = r.pool;
  auto [it, inserted] = s.routes.try_emplace(id, std::move(r));
  if (!inserted)
    return it->second;
  s.count_in(pool);
  return std::nullopt;
}

std::optional<route> registry_table::erase(const std::string& id) {
  auto& s = shards_[shard_of(id)];
  std::unique_lock guard{s.mutex};
  auto it = s.routes.find(id);
  if (it == s.routes.end())
    return std::nullopt;
  auto result = std::move(it->second);
  s.routes.erase(it);
  s.count_out(result.pool);
  return result;
}

bool registry_table::erase_if_server(const std::string& id, const caf::actor_addr& server) {
  // Declared before the lock so that the handle is dropped after unlocking (see clear()).
  route doomed;
  auto& s = shards_[shard_of(id)];
  std::unique_lock guard{s.mutex};
  auto it = s.routes.find(id);
  if (it == s.routes.end() || it->second.server.address() != server)
    return false;
  doomed = std::move(it->second);
  s.count_out(doomed.pool);
  s.routes.erase(it);
  return true;
}

std::optional<route> registry_table::find(const std::string& id) const {
  auto& s = shards_[shard_of(id)];
  std::shared_lock guard{s.mutex};
  auto it = s.routes.find(id);
  if (it == s.routes.end())
    return std::nullopt;
  return it->second;
}

std::size_t registry_table::size() const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < num_shards_; ++i) {
    std::shared_lock guard{shards_[i].mutex};
    total += shards_[i].routes.size();
  }
  return total;
}

std::size_t registry_table::count_in_pool(std::size_t pool) const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < num_shards_; ++i) {
    std::shared_lock guard{shards_[i].mutex};
    if (pool < shards_[i].per_pool.size())
      total += shards_[i].per_pool[pool];
  }
  return total;
}

std::vector<std::pair<std::string, route>> registry_table::snapshot() const {
  std::vector<std::pair<std::string, route>> result;
  for (std::size_t i = 0; i < num_shards_; ++i) {
    std::shared_lock guard{shards_[i].mutex};
    result.insert(result.end(), shards_[i].routes.begin(), shards_[i].routes.end());
  }
  return result;
}

void registry_table::clear() {
  for (std::size_t i = 0; i < num_shards_; ++i) {
    // Swap the routes out and destroy them after unlocking: dropping the last handle of an actor
    // can run its cleanup, which should not happen under our lock.
    std::unordered_map<std::string, route> doomed;
    {
      std::unique_lock guard{shards_[i].mutex};
      doomed.swap(shards_[i].routes);
      shards_[i].per_pool.clear();
    }
  }
}

} // namespace cafmcp::registry
