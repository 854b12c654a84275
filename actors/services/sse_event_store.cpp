#include "cafmcp/actors/services/sse_event_store.hpp"

#include <utility>

#include <caf/result.hpp>

#include "cafmcp/actors/services/service_actor.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/service_spec.hpp"
#include "cafmcp/actors/services/sse_messages.hpp"

namespace cafmcp::services {

caf::behavior sse_event_store(caf::stateful_actor<sse_event_store_state>* self,
                              std::shared_ptr<sse_event_log> log, sse_store_settings settings) {
  if (!log) {
    self->quit(caf::make_error(svc_errc::invalid_argument, "sse_event_store without a log"));
    return {};
  }
  self->state.log = std::move(log);
  self->state.settings = settings;
  prepare_service_actor(self, self->state.settings.ref);
  return {
      [self](es_append_atom, std::string& session, std::string& stream,
             std::string& data) -> caf::result<std::string> {
        return self->state.log->append(session, stream, std::move(data),
                                       self->state.settings.limits);
      },
      [self](es_replay_atom, std::string& session,
             std::string& last_event_id) -> caf::result<sse_replay> {
        return self->state.log->replay_after(session, last_event_id);
      },
      [self](es_drop_atom, std::string& session) { return self->state.log->drop_session(session); },
      [self](es_stats_atom) { return self->state.log->stats(); },
  };
}

supervision::child_spec sse_event_store_spec(std::shared_ptr<sse_event_log> log,
                                             sse_store_settings settings, std::string id) {
  return service_spec(std::move(id), sse_event_store, std::move(log), settings);
}

} // namespace cafmcp::services
