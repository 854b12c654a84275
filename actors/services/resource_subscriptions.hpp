// The resource subscription service: who wants notifications/resources/updated for which URI,
// and the fan-out when a resource changes. Message vocabulary: resource_messages.hpp.
//
// Crash and restart: subscriptions live in a subscription_store owned one level up. Each
// incarnation monitors every subscriber in it again; one that died while no service watched is
// dropped as soon as the new monitor reports it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/monitor_set.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/services/subscription_store.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

struct resource_settings {
  std::size_t max_per_session = 1000;
  std::shared_ptr<service_ref> ref; // optional: where callers find the current incarnation
};

struct resource_subscriptions_state {
  static inline const char* name = "resource_subscriptions";
  std::shared_ptr<subscription_store> store;
  resource_settings settings;
  monitor_set monitors;
};

// `sys.spawn(resource_subscriptions, store, settings)`. A null store stops it with
// invalid_argument.
caf::behavior resource_subscriptions(caf::stateful_actor<resource_subscriptions_state>* self,
                                     std::shared_ptr<subscription_store> store,
                                     resource_settings settings);

supervision::child_spec resource_subscriptions_spec(std::shared_ptr<subscription_store> store,
                                                    resource_settings settings,
                                                    std::string id = "resource_subscriptions");

} // namespace cafmcp::services
