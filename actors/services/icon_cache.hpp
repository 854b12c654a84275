// The icon cache: validates icon lists (https: and data: only) and keeps the valid ones per
// owner, bounded. Message vocabulary: icon_messages.hpp.
//
// Crash and restart: the lists live in an icon_store owned one level up; a new incarnation has
// nothing to rebuild.
#pragma once

#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/icon_store.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

struct icon_settings {
  icon_limits limits;
  std::shared_ptr<service_ref> ref; // optional: where callers find the current incarnation
};

struct icon_cache_state {
  static inline const char* name = "icon_cache";
  std::shared_ptr<icon_store> store;
  icon_settings settings;
};

// `sys.spawn(icon_cache, store, settings)`. A null store stops it with invalid_argument.
caf::behavior icon_cache(caf::stateful_actor<icon_cache_state>* self,
                         std::shared_ptr<icon_store> store, icon_settings settings);

supervision::child_spec icon_cache_spec(std::shared_ptr<icon_store> store, icon_settings settings,
                                        std::string id = "icon_cache");

} // namespace cafmcp::services
