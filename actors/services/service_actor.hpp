// What every service actor sets up first, whatever its job.
#pragma once

#include <memory>

#include <caf/actor_cast.hpp>
#include <caf/error.hpp>
#include <caf/scheduled_actor.hpp>

#include "cafmcp/actors/services/service_ref.hpp"

namespace cafmcp::services {

// 1. A service must not die from a stray error message. In CAF 0.17 an actor that gets a
//    message it does not understand answers the sender with an error message
//    (unexpected_message), and an event-based actor's default error handler quits with any
//    error message it receives. So a subscriber or watcher that ignores our notifications
//    would kill the service. Services send notifications with anon_send (no way back) and, in
//    case some other path bounces an error, ignore error messages that are not responses to
//    their own requests.
// 2. With a ref, the service publishes itself there and withdraws itself when it terminates,
//    kill included (an attached functor runs on every termination). Call this once the service
//    has taken over its store, so that callers never reach a half-initialized incarnation.
inline void prepare_service_actor(caf::scheduled_actor* self,
                                  const std::shared_ptr<service_ref>& ref) {
  self->set_error_handler([](caf::error&) {});
  if (!ref)
    return;
  ref->publish(caf::actor_cast<caf::actor>(self));
  self->attach_functor([ref, addr = self->address()](const caf::error&) { ref->withdraw(addr); });
}

} // namespace cafmcp::services
