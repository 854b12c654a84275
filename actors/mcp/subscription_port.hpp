#pragma once
// Where sessions keep their resources/subscribe state (checklist §4
// "Resources": subscribe/unsubscribe + notifications/resources/updated).
//
// A small interface so that the node-wide resource_subscriptions service
// (actors/services, written separately) plugs in without touching the server
// actor; local_subscriptions is the in-process implementation used until
// then and by tests.
//
// Whoever learns that a resource changed delivers
//   (resource_updated_atom, std::string uri)
// to each subscribed session actor. The session also keeps its own set of
// subscribed URIs and drops updates for URIs it no longer subscribes to, so
// an update racing an unsubscribe never reaches the client.

#include <mutex>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/weak_intrusive_ptr.hpp>

namespace cafmcp::mcp {

using resource_updated_atom = caf::atom_constant<caf::atom("mcp_rupd")>;

class subscription_port {
public:
  virtual ~subscription_port() = default;

  // Called on the session actor; must not block (an implementation backed by
  // an actor sends a message and returns).
  virtual void subscribe(const caf::actor& session, const std::string& uri) = 0;
  virtual void unsubscribe(const caf::actor& session, const std::string& uri) = 0;
  // The session ended: forget all of its subscriptions.
  virtual void drop(caf::actor_id session) = 0;
};

// Thread-safe in-memory table: uri -> subscribed sessions (held weakly).
class local_subscriptions : public subscription_port {
public:
  void subscribe(const caf::actor& session, const std::string& uri) override;
  void unsubscribe(const caf::actor& session, const std::string& uri) override;
  void drop(caf::actor_id session) override;

  // Tells every session subscribed to `uri`; returns how many were told.
  std::size_t publish(const std::string& uri);

  std::size_t subscriber_count(const std::string& uri) const;

private:
  mutable std::mutex mtx_;
  std::unordered_map<std::string, std::unordered_map<caf::actor_id, caf::weak_actor_ptr>> table_;
};

} // namespace cafmcp::mcp
