// The routing state of the registry: session/connection id -> route, in a fixed number of shards.
//
// Why it is a separate object: it must survive the registry actor's crash (the ETS "heir" idea,
// DESIGN.md §2). Whoever starts the registry (its supervisor's start function) owns a
// shared_ptr to the table and hands it to every incarnation of the registry actor, so a restart
// costs a re-monitor of the servers instead of losing every route.
//
// Beside the routes, the table keeps a server index: per server actor (by id) its ids and the
// registry incarnation that monitors it (its "watcher"). The index is what lets a restarted
// registry answer at once: it needs no map of its own to rebuild and none to destroy when it is
// killed, only to re-monitor the indexed servers, which it does in chunks while serving (see
// registry_actor.hpp). The index has its own locks, one per part, always taken after a shard's.
//
// Thread-safety: every shard has its own std::shared_mutex. Reads (find, counts, snapshot) take
// the shard lock shared, so transport threads may look routes up directly, in parallel with each
// other and without an actor hop; they only wait for a writer of the same shard. Writes take the
// lock exclusively. By convention only the registry actor writes, which keeps the table and the
// registry's monitors consistent; the table itself stays memory-safe under any number of
// writers. Counts summed over shards are not an atomic snapshot of the whole table (each shard is
// exact at the time it is read), which is fine for metrics.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/fwd.hpp>

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

  // Removes `id`; returns the removed route. When that was its server's last route and
  // `last_watcher` is given, it receives the server's watcher (see take_watch), so the caller can
  // drop that monitor.
  std::optional<route> erase(const std::string& id, caf::actor_addr* last_watcher = nullptr);

  // Removes `id` only while it still points to `server`: a server's death must not remove a
  // newer registration of the same id by another server.
  bool erase_if_server(const std::string& id, const caf::actor_addr& server);

  // Removes every route that points to `server` (its death); returns how many.
  std::size_t erase_server(const caf::actor_addr& server);

  // -- the server index (used by the registry actor) -------------------------------------------

  // Whether `server` has any route.
  bool has_routes(caf::actor_id server) const;

  // The index is split into a fixed number of parts by server id (independent of the route
  // shards), so that a restarted registry can take it over part by part: the servers of one part
  // are what it re-monitors in one go, whatever the size of the whole table.
  static constexpr std::size_t index_parts = 64;

  // The ids of the servers in part `part` (< index_parts) that have routes.
  std::vector<caf::actor_id> servers_in(std::size_t part) const;

  // Where the next registry starts its walk over the parts: where the last one got to. Under
  // restarts faster than a whole walk, every incarnation thus carries on with the parts its
  // predecessor did not reach, instead of all of them redoing the first ones.
  std::size_t rebuild_cursor() const noexcept { return rebuild_cursor_.load(); }
  void set_rebuild_cursor(std::size_t part) noexcept { rebuild_cursor_.store(part % index_parts); }

  // Records `watcher` as the actor that monitors `server`. When that changes, returns the server
  // (for the caller to monitor) and the previous watcher (whose monitor is now stale); returns
  // nothing when `watcher` already watches it or the server has no routes.
  struct watch_handover {
    caf::actor server;
    caf::actor_addr previous;
  };
  std::optional<watch_handover> take_watch(caf::actor_id server, const caf::actor_addr& watcher);

  // Whether `watcher` monitors `server` (false for a server without routes).
  bool watched_by(caf::actor_id server, const caf::actor_addr& watcher) const;

  std::optional<route> find(const std::string& id) const;

  std::size_t size() const;
  std::size_t count_in_pool(std::size_t pool) const;

  // A copy of every entry, taken shard by shard (for tools, tests and benchmarks; the registry's
  // rebuild walks the server index instead, which copies no strings).
  std::vector<std::pair<std::string, route>> snapshot() const;

  // Drops every entry (and so every strong handle the table holds).
  void clear();

private:
  struct shard;
  struct server_index;
  server_index& index_of(caf::actor_id server) const noexcept;
  std::size_t num_shards_;
  std::unique_ptr<shard[]> shards_;
  std::unique_ptr<server_index[]> index_;
  std::atomic<std::size_t> rebuild_cursor_{0};
};

} // namespace cafmcp::registry
