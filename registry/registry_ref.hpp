// Where callers find the current incarnation of the registry actor.
//
// A restarted registry is a new actor with a new handle, so a caller cannot keep the handle it
// was given at start-up. Like the table, a registry_ref is owned one level up and shared with
// every incarnation: the registry publishes itself here once its rebuild is done and withdraws
// itself when it terminates (for any reason, kill included). Callers (registry_client) read it
// on every attempt; an empty ref means "restart in progress, retry later".
//
// Why not CAF's own actor registry (sys.registry().put(atom, ...)): it is keyed by one global
// atom per system, which would allow one registry per process and make tests share state; a ref
// object is explicit about who shares what.
#pragma once

#include <mutex>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

namespace cafmcp::registry {

class registry_ref {
public:
  // The current registry, or an invalid handle while none is published.
  caf::actor get() const;

  void publish(const caf::actor& registry);

  // Clears the ref only while it still names `registry`: an old incarnation that terminates late
  // must not withdraw its successor.
  void withdraw(const caf::actor_addr& registry);

private:
  mutable std::mutex mutex_;
  // Weak on purpose: the ref must not keep a registry alive that its supervisor let go.
  caf::actor_addr current_;
};

} // namespace cafmcp::registry
