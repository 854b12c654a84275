// Where callers find the current incarnation of a service actor.
//
// A restarted service is a new actor with a new handle, so a transport or server actor cannot
// keep the handle it got at start-up. Like the stores, a service_ref is owned one level up and
// given to every incarnation (through its settings): the service publishes itself here once it
// has taken over its store, and withdraws itself when it terminates (for any reason, kill
// included). Callers read it for each operation; an invalid handle means "restart in progress,
// retry shortly". The same idea as registry/registry_ref.hpp, for the services' own layer.
#pragma once

#include <mutex>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

namespace cafmcp::services {

class service_ref {
public:
  // The current incarnation, or an invalid handle while none is published.
  caf::actor get() const;

  void publish(const caf::actor& service);

  // Clears the ref only while it still names `service`: an old incarnation that terminates late
  // must not withdraw its successor.
  void withdraw(const caf::actor_addr& service);

private:
  mutable std::mutex mtx_;
  // Weak on purpose: the ref must not keep alive a service its supervisor let go.
  caf::actor_addr current_;
};

} // namespace cafmcp::services
