// The registry actor: session/connection id -> MCP server actor, with a monitor on every
// registered server so that a server's death (whatever its exit reason, kill included) removes
// its routes. Message vocabulary: registry_atoms.hpp.
//
// Crash and restart: the routes live in a registry_table owned one level up (see
// registry_table.hpp), and so does the table's server index (server -> its ids and the
// incarnation that monitors it). A new incarnation publishes itself in the registry_ref (if one
// is given) and serves at once; it then re-monitors the indexed servers in chunks of at most
// `rebuild_chunk`, one self-message per chunk, so requests are answered between chunks and the
// first answer does not wait for the table, whatever its size. Monitoring a server that is already
// dead delivers its down message at once, so the routes of servers that died while no registry was
// watching are dropped chunk by chunk. Until then a lookup must not hand such a route out: a
// lookup that meets a server this incarnation has not verified yet monitors it there and then and
// answers behind a marker that follows the down message (if any) in the same queue (see
// registry_actor.cpp). Counts, however, include such routes until the rebuild has reached them.
// Monitors use high priority (the markers need that), which also lets a server's down message
// overtake most queued lookups in normal operation; a lookup can still race with a death that is
// not reported yet, so callers monitor the server they get.
//
// Sharding: one actor over a sharded table, not K shard actors behind a front. Why:
//  - The hot path, "which server serves this session", is a read. It is cached per connection
//    and can be served straight from the table on the caller's thread (shared lock per shard),
//    so the actor's throughput is not on the request path at all.
//  - Writes happen once per connection set-up and tear-down. One actor handled about 180,000 to
//    270,000 pipelined registrations per second on the 2-core target (test_registry_actor),
//    far above any connection rate the node can accept; K writer actors on 2 cores would add
//    hops, not parallelism.
//  - Isolation buys little here: a crash loses no routes (the table survives) and a restarted
//    registry answers at once (the re-monitoring runs in chunks behind it), whereas K shard actors
//    would need a front that itself can crash, K rebuilds, and a monitor per server per shard.
//  - The shard count (from config) partitions the table's locks, which is where contention would
//    show: transport threads reading while the registry writes. If writes ever dominate,
//    splitting the writer into one actor per group of shards is mechanical, because every entry
//    already has a fixed shard (registry_table::shard_of).
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/registry/registry_ref.hpp"
#include "cafmcp/registry/registry_table.hpp"

namespace cafmcp::registry {

// Servers re-monitored per rebuild step. Small enough that one step (a monitor per server) takes
// about a millisecond on the 2-core target, so a request waits at most that long behind one.
inline constexpr std::size_t rebuild_chunk = 512;

struct registry_state {
  static inline const char* name = "registry";

  std::shared_ptr<registry_table> table;
  std::shared_ptr<registry_ref> ref;
  // This incarnation's address, as the table's index records its watcher.
  caf::actor_addr me;

  // The rebuild walks the table's server index part by part (registry_table::index_parts),
  // starting at the table's rebuild cursor: `parts_taken` parts are taken, `part_servers` are the
  // servers of the last one, of which `rebuilt` are re-monitored, `rebuild_chunk` per step. Plain
  // ids: cheap to take, cheap to drop when the actor is killed mid-way, and never more than one
  // part's worth, so starting costs the same whatever the size of the table.
  bool rebuilding = true;
  std::size_t first_part = 0;
  std::size_t parts_taken = 0;
  std::vector<caf::actor_id> part_servers;
  std::size_t rebuilt = 0;
  // The servers of the last step, sorted: their down messages may still be queued until the next
  // step message (which follows them in the queue) arrives.
  std::vector<caf::actor_id> unverified;

  // Lookups waiting for their marker, answered in order, one per marker (see registry_actor.cpp).
  std::deque<std::function<void()>> checks;
};

// Spawn with the shared table (and, for callers that use registry_client, the shared ref; it
// may be null): `sys.spawn(registry_actor, table, ref)`. A null table stops the actor at once
// with invalid_argument.
caf::behavior registry_actor(caf::stateful_actor<registry_state>* self,
                             std::shared_ptr<registry_table> table,
                             std::shared_ptr<registry_ref> ref);

} // namespace cafmcp::registry
