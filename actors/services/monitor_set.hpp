// The peers a service watches (session servers, subscribers, waiters' owners): one monitor per
// peer actor however many entries name it.
//
// Why a helper: services keep peers as caf::actor_addr in their stores (a weak reference, so a
// store never keeps a dead peer's actor alive), and every incarnation of a service must monitor
// them again. Turning an address into a handle can fail (the peer is gone for good), and
// monitoring an invalid handle crashes CAF 0.17, so that check lives here, once.
// Monitors are never removed when a peer's last entry goes away: the later down message then
// finds nothing to clean, which is cheaper than counting references.
#pragma once

#include <unordered_set>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/fwd.hpp>

namespace cafmcp::services {

class monitor_set {
public:
  // Monitors `addr` unless it already is. False when the address no longer names an actor:
  // no down message will come, so the caller drops the peer's entries itself.
  bool watch(caf::local_actor* self, const caf::actor_addr& addr);

  // The down message for `addr` arrived; it is no longer monitored.
  void forget(const caf::actor_addr& addr) { watched_.erase(addr); }

  bool contains(const caf::actor_addr& addr) const { return watched_.count(addr) > 0; }
  std::size_t size() const noexcept { return watched_.size(); }

private:
  std::unordered_set<caf::actor_addr> watched_;
};

} // namespace cafmcp::services
