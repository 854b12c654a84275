// The SSE event store: the resumability log of the Streamable HTTP transport. Message
// vocabulary: sse_messages.hpp.
//
// Crash and restart: the log lives in an sse_event_log owned one level up, so a restarted store
// replays exactly what the old one would have, and keeps numbering events where it left off.
// It watches no peers and runs no timers, so a new incarnation has nothing else to rebuild.
#pragma once

#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/services/sse_event_log.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

struct sse_store_settings {
  sse_limits limits;
  std::shared_ptr<service_ref> ref; // optional: where callers find the current incarnation
};

struct sse_event_store_state {
  static inline const char* name = "sse_event_store";
  std::shared_ptr<sse_event_log> log;
  sse_store_settings settings;
};

// `sys.spawn(sse_event_store, log, settings)`. A null log stops it with invalid_argument.
caf::behavior sse_event_store(caf::stateful_actor<sse_event_store_state>* self,
                              std::shared_ptr<sse_event_log> log, sse_store_settings settings);

supervision::child_spec sse_event_store_spec(std::shared_ptr<sse_event_log> log,
                                             sse_store_settings settings,
                                             std::string id = "sse_event_store");

} // namespace cafmcp::services
