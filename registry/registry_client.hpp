// registry_client: how an actor (a transport session, later) talks to a registry that may be
// restarting, without blocking and without losing a request.
//
// Every operation ends in exactly one call of its callback, in the calling actor's context:
//  - the registry's answer (the route, ok, or a registry error such as not_found), or
//  - registry_unavailable when the registry did not answer within the deadline (the error's
//    context says how many attempts were made and what the last failure was), or
//  - client_overloaded when `max_pending` operations of this client are already in flight. This
//    is the client's bounded queue; the callback then runs before the call returns.
//
// How: the first attempt is a plain request from the calling actor to the registry currently
// published in the registry_ref, so the common case costs one round trip. When it fails in a
// way that a restart explains (no registry published, receiver down, attempt timed out), the
// operation moves to a small helper actor that retries with exponential backoff until the
// deadline; the helper is needed because an event-based actor has no timer that does not
// show up in its own behavior. Registry errors (not_found, already_registered, ...) are
// answers, never retried.
//
// Retrying is safe: lookups do not change anything, registering the same id for the same server
// twice is ok, and remove() treats not_found as done (the route is gone either way).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/message.hpp>
#include <caf/timespan.hpp>

#include "cafmcp/registry/registry_ref.hpp"

namespace cafmcp::registry {

struct client_policy {
  // The whole operation, every attempt and backoff included.
  caf::timespan deadline = std::chrono::seconds{1};
  // One request to the registry. Bounds how long a registry that hangs can hold a request.
  caf::timespan attempt_timeout = std::chrono::milliseconds{100};
  // Backoff between attempts: doubles from first_backoff up to max_backoff.
  caf::timespan first_backoff = std::chrono::milliseconds{2};
  caf::timespan max_backoff = std::chrono::milliseconds{50};
  // Operations of one client in flight at once (its queue bound).
  std::size_t max_pending = 1024;
};

// Counters of one client, for metrics and tests.
struct client_stats {
  std::size_t started = 0;    // operations accepted
  std::size_t succeeded = 0;  // ended with the registry's positive answer
  std::size_t failed = 0;     // ended with an error (registry answer or unavailable)
  std::size_t retried = 0;    // needed more than the first attempt
  std::size_t overloaded = 0; // refused because max_pending were in flight
};

class registry_client {
public:
  using lookup_callback = std::function<void(caf::expected<caf::actor>)>;
  // Receives caf::none on success.
  using done_callback = std::function<void(caf::error)>;

  // `self` is the calling actor. Keep the client in that actor's state: it holds `self`, and the
  // callbacks run in that actor's context.
  registry_client(caf::event_based_actor* self, std::shared_ptr<const registry_ref> ref,
                  client_policy policy = {});

  void lookup(std::string id, lookup_callback on_done);
  void add(std::string id, caf::actor server, std::size_t pool, done_callback on_done);
  void remove(std::string id, done_callback on_done);

  std::size_t pending() const noexcept { return shared_->pending; }
  const client_stats& stats() const noexcept { return shared_->stats; }
  const client_policy& policy() const noexcept { return policy_; }

private:
  // Counters shared with the callbacks of operations in flight.
  struct shared_counters {
    std::size_t pending = 0;
    client_stats stats;
  };

  // Runs one operation whose positive answer is a `Reply` (caf::actor or caf::ok_atom).
  template <class Reply>
  void run(caf::message op, std::function<void(Reply&)> on_ok,
           std::function<void(caf::error)> on_error);

  caf::event_based_actor* self_;
  std::shared_ptr<const registry_ref> ref_;
  client_policy policy_;
  std::shared_ptr<shared_counters> shared_;
};

} // namespace cafmcp::registry
