// The registry actor: session/connection id -> MCP server actor, with a monitor on every
// registered server so that a server's death (whatever its exit reason, kill included) removes
// its routes. Message vocabulary: registry_atoms.hpp.
//
// Crash and restart: the routes live in a registry_table owned one level up (see
// registry_table.hpp). Each incarnation of this actor starts by re-monitoring every server in the
// table. Monitoring an actor that is already dead delivers its down message at once, so the
// routes of servers that died while no registry was watching are dropped; the registry answers
// nothing before those down messages are handled (a barrier, see registry_actor.cpp), so a
// restarted registry never hands out such a route. Only then does it publish itself in the
// registry_ref (if one is given). Monitors use high priority (the barrier needs that), which
// also lets a server's down message overtake most queued lookups in normal operation; a lookup
// can still race with a death that is not reported yet, so callers monitor the server they get.
//
// Sharding: one actor over a sharded table, not K shard actors behind a front. Why:
//  - The hot path, "which server serves this session", is a read. It is cached per connection
//    and can be served straight from the table on the caller's thread (shared lock per shard),
//    so the actor's throughput is not on the request path at all.
//  - Writes happen once per connection set-up and tear-down. One actor handled about 180,000 to
//    270,000 pipelined registrations per second on the 2-core target (test_registry_actor),
//    far above any connection rate the node can accept; K writer actors on 2 cores would add
//    hops, not parallelism.
//  - Isolation buys little here: a crash loses no routes (the table survives) and the restart
//    costs milliseconds (about 6 ms to rebuild 10,000 routes, measured), whereas K shard actors
//    would need a front that itself can crash, K rebuilds, and a monitor per server per shard.
//  - The shard count (from config) partitions the table's locks, which is where contention would
//    show: transport threads reading while the registry writes. If writes ever dominate,
//    splitting the writer into one actor per group of shards is mechanical, because every entry
//    already has a fixed shard (registry_table::shard_of).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/registry/registry_ref.hpp"
#include "cafmcp/registry/registry_table.hpp"

namespace cafmcp::registry {

struct registry_state {
  static inline const char* name = "registry";

  std::shared_ptr<registry_table> table;
  std::shared_ptr<registry_ref> ref;

  // The ids of every monitored server. One monitor per server, however many ids it has; rebuilt
  // from the table on every start, so it needs no protection from crashes.
  std::unordered_map<caf::actor_addr, std::vector<std::string>> ids_by_server;

  // Requests that arrived while the rebuild was still dropping dead routes; answered, in order,
  // as soon as it is done (see registry_actor.cpp).
  std::vector<std::function<void()>> deferred;
};

// Spawn with the shared table (and, for callers that use registry_client, the shared ref; it
// may be null): `sys.spawn(registry_actor, table, ref)`. A null table stops the actor at once
// with invalid_argument.
caf::behavior registry_actor(caf::stateful_actor<registry_state>* self,
                             std::shared_ptr<registry_table> table,
                             std::shared_ptr<registry_ref> ref);

} // namespace cafmcp::registry
