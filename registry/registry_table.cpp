#include "cafmcp/registry/registry_table.hpp"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

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

// One part of the server index: server actor id -> its ids and its watcher. Every member function
// expects `mutex` to be held. Aligned for the same reason as the shards.
struct alignas(64) registry_table::server_index {
  struct entry {
    // Strong, like the routes' handles: a restarted registry monitors through it.
    caf::actor server;
    // Usually one (a session id); the order carries no meaning.
    std::vector<std::string> ids;
    // The registry incarnation that monitors `server`; weak, so a dead one is not kept.
    caf::actor_addr watcher;
  };

  mutable std::mutex mutex;
  std::unordered_map<caf::actor_id, entry> servers;

  void add(const std::string& id, const caf::actor& server) {
    auto& e = servers[server.id()];
    if (!e.server)
      e.server = server;
    e.ids.push_back(id);
  }

  // Moves the server's entry into `doomed` when its last id goes, so that the caller drops the
  // handle after unlocking (see registry_table::clear()).
  void remove(const std::string& id, caf::actor_id server, entry& doomed) {
    auto it = servers.find(server);
    if (it == servers.end())
      return;
    auto& ids = it->second.ids;
    auto pos = std::find(ids.begin(), ids.end(), id);
    if (pos == ids.end())
      return;
    *pos = std::move(ids.back());
    ids.pop_back();
    if (ids.empty()) {
      doomed = std::move(it->second);
      servers.erase(it);
    }
  }
};

registry_table::registry_table(std::size_t num_shards)
    : num_shards_(num_shards == 0 ? 1 : num_shards), shards_(new shard[num_shards_]),
      index_(new server_index[index_parts]) {
  // nop
}

registry_table::server_index& registry_table::index_of(caf::actor_id server) const noexcept {
  // Actor ids are consecutive, so a plain modulo spreads servers evenly.
  return index_[server % index_parts];
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
  if (auto& server = it->second.server) {
    auto& part = index_of(server.id());
    std::lock_guard index_guard{part.mutex};
    part.add(id, server);
  }
  return std::nullopt;
}

std::optional<route> registry_table::erase(const std::string& id, caf::actor_addr* last_watcher) {
  // Declared before the locks so that the handle is dropped after unlocking (see clear()).
  server_index::entry doomed;
  auto& s = shards_[shard_of(id)];
  std::unique_lock guard{s.mutex};
  auto it = s.routes.find(id);
  if (it == s.routes.end())
    return std::nullopt;
  auto result = std::move(it->second);
  s.routes.erase(it);
  s.count_out(result.pool);
  if (result.server) {
    auto& part = index_of(result.server.id());
    std::lock_guard index_guard{part.mutex};
    part.remove(id, result.server.id(), doomed);
  }
  if (last_watcher && doomed.server)
    *last_watcher = std::move(doomed.watcher);
  return result;
}

bool registry_table::erase_if_server(const std::string& id, const caf::actor_addr& server) {
  // Declared before the locks so that the handles are dropped after unlocking (see clear()).
  server_index::entry doomed_entry;
  route doomed;
  auto& s = shards_[shard_of(id)];
  std::unique_lock guard{s.mutex};
  auto it = s.routes.find(id);
  if (it == s.routes.end() || it->second.server.address() != server)
    return false;
  doomed = std::move(it->second);
  s.count_out(doomed.pool);
  s.routes.erase(it);
  if (doomed.server) {
    auto& part = index_of(doomed.server.id());
    std::lock_guard index_guard{part.mutex};
    part.remove(id, doomed.server.id(), doomed_entry);
  }
  return true;
}

std::size_t registry_table::erase_server(const caf::actor_addr& server) {
  if (!server)
    return 0;
  server_index::entry doomed;
  {
    auto& part = index_of(server.id());
    std::lock_guard guard{part.mutex};
    auto it = part.servers.find(server.id());
    if (it == part.servers.end())
      return 0;
    doomed = std::move(it->second);
    part.servers.erase(it);
  }
  std::size_t erased = 0;
  for (auto& id : doomed.ids) {
    route gone; // dropped after unlocking
    auto& s = shards_[shard_of(id)];
    std::unique_lock guard{s.mutex};
    auto it = s.routes.find(id);
    // The id may have been taken over by another server since: keep that route.
    if (it == s.routes.end() || it->second.server.id() != server.id())
      continue;
    gone = std::move(it->second);
    s.count_out(gone.pool);
    s.routes.erase(it);
    ++erased;
  }
  return erased;
}

bool registry_table::has_routes(caf::actor_id server) const {
  auto& part = index_of(server);
  std::lock_guard guard{part.mutex};
  return part.servers.count(server) > 0;
}

std::vector<caf::actor_id> registry_table::servers_in(std::size_t part_index) const {
  std::vector<caf::actor_id> result;
  if (part_index >= index_parts)
    return result;
  auto& part = index_[part_index];
  std::lock_guard guard{part.mutex};
  result.reserve(part.servers.size());
  for (auto& kv : part.servers)
    result.push_back(kv.first);
  return result;
}

std::optional<registry_table::watch_handover>
registry_table::take_watch(caf::actor_id server, const caf::actor_addr& watcher) {
  auto& part = index_of(server);
  std::lock_guard guard{part.mutex};
  auto it = part.servers.find(server);
  if (it == part.servers.end() || it->second.watcher == watcher)
    return std::nullopt;
  auto previous = std::exchange(it->second.watcher, watcher);
  return watch_handover{it->second.server, std::move(previous)};
}

bool registry_table::watched_by(caf::actor_id server, const caf::actor_addr& watcher) const {
  auto& part = index_of(server);
  std::lock_guard guard{part.mutex};
  auto it = part.servers.find(server);
  return it != part.servers.end() && it->second.watcher == watcher;
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
  for (std::size_t i = 0; i < index_parts; ++i) {
    std::unordered_map<caf::actor_id, server_index::entry> doomed;
    std::lock_guard guard{index_[i].mutex};
    doomed.swap(index_[i].servers);
  }
}

} // namespace cafmcp::registry
