#pragma once
// Where sessions keep their resources/subscribe state (checklist §4
// "Resources": subscribe/unsubscribe + notifications/resources/updated).
//
// A small interface so that the node-wide resource_subscriptions service
// (actors/services) and an in-process table are interchangeable:
// * service_subscriptions talks to the service (through its service_ref, so a
//   restarted service is found again; its subscriptions survive in its store);
// * local_subscriptions is a thread-safe in-memory table for embedders and
//   tests that run no services.
// Both deliver updates in the service's vocabulary (resource_messages.hpp):
//   (services::rs_updated_atom, std::string uri, std::string session_id)
// to each subscribed session actor. The session also keeps its own set of
// subscribed URIs and drops updates for URIs it no longer subscribes to, so
// an update racing an unsubscribe never reaches the client.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/weak_intrusive_ptr.hpp>

#include "cafmcp/actors/services/resource_messages.hpp"
#include "cafmcp/actors/services/service_ref.hpp"

namespace cafmcp::mcp {

class subscription_port {
public:
  virtual ~subscription_port() = default;

  // Called on the session actor; never blocks. subscribe() is false when the
  // subscription could not be recorded (the service is restarting): the
  // client then gets an error and may retry.
  virtual bool subscribe(const caf::actor& session, const std::string& session_id,
                         const std::string& uri) = 0;
  virtual void unsubscribe(const caf::actor& session, const std::string& session_id,
                           const std::string& uri) = 0;
  // The session ended: forget all of its subscriptions.
  virtual void drop(caf::actor_id session, const std::string& session_id) = 0;
};

// Thread-safe in-memory table: uri -> subscribed sessions (held weakly).
class local_subscriptions : public subscription_port {
public:
  bool subscribe(const caf::actor& session, const std::string& session_id,
                 const std::string& uri) override;
  void unsubscribe(const caf::actor& session, const std::string& session_id,
                   const std::string& uri) override;
  void drop(caf::actor_id session, const std::string& session_id) override;

  // Tells every session subscribed to `uri`; returns how many were told.
  std::size_t publish(const std::string& uri);

  std::size_t subscriber_count(const std::string& uri) const;

private:
  struct subscriber {
    caf::weak_actor_ptr actor;
    std::string session_id;
  };
  mutable std::mutex mtx_;
  std::unordered_map<std::string, std::unordered_map<caf::actor_id, subscriber>> table_;
};

// The node's resource_subscriptions service (fire-and-forget sends; the
// service monitors subscribers and drops dead ones itself).
class service_subscriptions : public subscription_port {
public:
  explicit service_subscriptions(std::shared_ptr<services::service_ref> ref);

  bool subscribe(const caf::actor& session, const std::string& session_id,
                 const std::string& uri) override;
  void unsubscribe(const caf::actor& session, const std::string& session_id,
                   const std::string& uri) override;
  void drop(caf::actor_id session, const std::string& session_id) override;

private:
  std::shared_ptr<services::service_ref> ref_;
};

} // namespace cafmcp::mcp
