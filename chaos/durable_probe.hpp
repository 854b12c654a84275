#pragma once
// "Lost data" for the chaos report: state the config services acknowledged
// (a finished task with its result, a resource subscription, SSE events) is
// written through the services before and after the chaos and read back at
// the end. Whatever cannot be read back exactly was lost.
//
// It talks to the current incarnation of each service through its
// service_ref, retrying while a service restarts, as any caller would.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/services/service_ref.hpp"

namespace cafmcp::chaos {

struct durable_refs {
  std::shared_ptr<services::service_ref> tasks;
  std::shared_ptr<services::service_ref> subscriptions;
  std::shared_ptr<services::service_ref> sse_events;
};

class durable_probe {
public:
  durable_probe(caf::actor_system& sys, durable_refs refs);
  ~durable_probe();

  // Writes one batch; an error when a service did not acknowledge a write
  // within the deadline (that is unavailability, not loss).
  caf::error write(const std::string& tag);
  // Reads every batch back; one line per item that is gone or different.
  std::vector<std::string> check();

private:
  struct batch {
    std::string tag;
    std::vector<std::pair<std::string, std::string>> tasks; // id, result json
    std::vector<std::string> subscribed_uris;
    std::vector<std::pair<std::string, std::string>> events; // id, data
  };

  caf::actor_system& sys_;
  durable_refs refs_;
  caf::actor subscriber_; // holds the probe's subscriptions
  std::vector<batch> batches_;
};

} // namespace cafmcp::chaos
