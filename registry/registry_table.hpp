// The routing state of the registry: session/connection id -> route, in a fixed number of shards.
//
// Why it is a separate object: it must survive the registry actor's crash (the ETS "heir" idea,
// DESIGN.md §2). Whoever starts the registry (its supervisor's start function) owns a
// shared_ptr to the table and hands it to every incarnation of the registry actor, so a restart
// costs a re-monitor of the entries instead of losing every route.
//
// Thread-safety: every shard has its own std::shared_mutex. Reads (find, counts, snapshot) take
// the shard lock shared, so transport threads may look routes up directly, in parallel with each
// other and without an actor hop; they only wait for a writer of the same shard. Writes take the
// lock exclusively. By convention only the registry actor writes, which keeps the table and the
// registry's monitors consistent; the table itself stays memory-safe under any number of
// writers. Counts summed over shards are not an atomic snapshot of the whole table (each shard is
// exact at the time it is read), which is fine for metrics.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_addr.hpp>

#include "cafmcp/registry/route.hpp"

namespace cafmcp::registry {

class registry_table {
public:
  // `num_shards` comes from config; 0 is treated as 1.
  explicit registry_table(std::size_t num_shards);
  ~registry_table();

  registry_table(const registry_table&) = delete;
  registry_table& operator=(const registry_table&) = delete;

  std::size_t num_shards() const noexcept { return num_shards_; }

  // The shard that holds `id`. Uses its own seed of stable_hash, so shards and pools (which use
  // the unseeded hash) are independent even when their counts are equal.
  std::size_t shard_of(const std::string& id) const noexcept;

  // Stores `r` under `id` unless the id is taken. Returns nothing when stored, otherwise a copy
  // of the route already there (so the caller can tell a repeated registration from a clash).
  std::optional<route> try_insert(const std::string& id, route r);

  // Removes `id`; returns the removed route.
  std::optional<route> erase(const std::string& id);

  // Removes `id` only while it still points to `server`: a server's death must not remove a
  // newer registration of the same id by another server.
  bool erase_if_server(const std::string& id, const caf::actor_addr& server);

  std::optional<route> find(const std::string& id) const;

  std::size_t size() const;
  std::size_t count_in_pool(std::size_t pool) const;

  // A copy of every entry, taken shard by shard. The registry uses it to rebuild its monitors
  // without holding any lock while it talks to other actors.
  std::vector<std::pair<std::string, route>> snapshot() const;

  // Drops every entry (and so every strong handle the table holds).
  void clear();

private:
  struct shard;
  std::size_t num_shards_;
  std::unique_ptr<shard[]> shards_;
};

} // namespace cafmcp::registry
