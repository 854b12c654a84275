#include "cafmcp/actors/mcp/direct_broker.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>

#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/mcp/mcp_server.hpp"
#include "cafmcp/actors/mcp/session_id.hpp"
#include "cafmcp/actors/mcp/session_protocol.hpp"

namespace cafmcp::mcp {

caf::behavior direct_broker(caf::stateful_actor<direct_broker_state>* self,
                            std::shared_ptr<const server_config> config, broker_options options) {
  auto& st = self->state;
  st.config = std::move(config);
  st.options = options;
  st.live = std::make_shared<std::unordered_map<caf::actor_id, caf::actor>>();
  self->attach_functor([live = st.live](const caf::error&) {
    for (auto& [id, session] : *live)
      caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
  });
  // A stray error message must not take every session's broker down.
  self->set_error_handler([](caf::error&) {});
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto it = st.id_of.find(dm.source.id());
    if (it == st.id_of.end())
      return;
    st.by_id.erase(it->second);
    st.live->erase(it->first);
    st.id_of.erase(it);
  });
  return {
      [self](session_open_atom, transport_kind kind,
             caf::actor& sink) -> caf::result<caf::actor, std::string> {
        auto& st = self->state;
        if (st.options.max_sessions != 0 && st.by_id.size() >= st.options.max_sessions)
          return caf::make_error(mcp_errc::at_capacity, std::string{"session limit reached"});
        auto id = make_secure_id();
        if (!id)
          return std::move(id.error());
        // 128 random bits make a collision practically impossible, but an
        // id must never name two sessions: draw again rather than assume.
        while (st.by_id.count(*id) != 0) {
          id = make_secure_id();
          if (!id)
            return std::move(id.error());
        }
        auto server = self->spawn(mcp_server, server_args{st.config, sink, *id, kind});
        self->monitor(server);
        st.by_id.emplace(*id, server);
        st.id_of.emplace(server.id(), *id);
        st.live->emplace(server.id(), server);
        return caf::result<caf::actor, std::string>{server, *id};
      },
      [self](session_find_atom, const std::string& id) -> caf::result<caf::actor> {
        auto& st = self->state;
        auto it = st.by_id.find(id);
        if (it == st.by_id.end())
          return caf::make_error(mcp_errc::session_not_found, id);
        return it->second;
      },
      [self](caf::get_atom) { return static_cast<uint64_t>(self->state.by_id.size()); },
  };
}

} // namespace cafmcp::mcp
