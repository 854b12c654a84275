#include "cafmcp/actors/services/session_manager.hpp"

#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "cafmcp/actors/services/service_actor.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/service_spec.hpp"
#include "cafmcp/actors/services/session_messages.hpp"

namespace cafmcp::services {

namespace {

using self_ptr = caf::stateful_actor<session_manager_state>*;

// The periodic sweep, sent by the manager to itself with its current token.
using sm_timer_atom = caf::atom_constant<caf::atom("sm_timer")>;

std::int64_t now(self_ptr self) {
  return self->state.settings.clock();
}

std::int64_t ttl(self_ptr self) {
  return self->state.settings.ttl.count();
}

// Tells every watcher about sessions that just ended.
void announce(self_ptr self, const std::vector<session_record>& ended) {
  if (ended.empty())
    return;
  auto& store = *self->state.store;
  for (auto& addr : store.watchers()) {
    auto watcher = caf::actor_cast<caf::actor>(addr);
    if (!watcher) {
      store.remove_watcher(addr);
      continue;
    }
    for (auto& rec : ended)
      caf::anon_send(watcher, sm_ended_atom::value, rec);
  }
}

// Monitors a session's server; a server that is gone for good ends its sessions now.
void watch_server(self_ptr self, const caf::actor_addr& server) {
  if (server && !self->state.monitors.watch(self, server))
    announce(self, self->state.store->terminate_server(server, "server_down", now(self)));
}

std::size_t sweep(self_ptr self) {
  auto& st = self->state;
  auto t = now(self);
  auto ended = st.store->expire(t, ttl(self));
  st.store->forget_ended(t - st.settings.ended_retention.count(), st.settings.max_ended);
  announce(self, ended);
  return ended.size();
}

void arm_sweep(self_ptr self) {
  auto& st = self->state;
  if (st.settings.sweep_interval.count() <= 0)
    return;
  self->delayed_send(self, st.settings.sweep_interval, sm_timer_atom::value, ++st.sweep_token);
}

// Takes over from a previous incarnation: monitors every server and watcher in the store.
void rebuild(self_ptr self) {
  auto& st = self->state;
  for (auto& rec : st.store->active_sessions())
    watch_server(self, rec.server);
  for (auto& w : st.store->watchers())
    if (!st.monitors.watch(self, w))
      st.store->remove_watcher(w);
}

} // namespace

caf::behavior session_manager(self_ptr self, std::shared_ptr<session_store> store,
                              session_settings settings) {
  if (!store) {
    self->quit(caf::make_error(svc_errc::invalid_argument, "session_manager without a store"));
    return {};
  }
  self->state.store = std::move(store);
  self->state.settings = std::move(settings);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    st.monitors.forget(dm.source);
    st.store->remove_watcher(dm.source);
    announce(self, st.store->terminate_server(dm.source, "server_down", now(self)));
  });
  rebuild(self);
  arm_sweep(self);
  prepare_service_actor(self, self->state.settings.ref);
  return {
      [self](sm_open_atom, std::string& transport,
             caf::actor& server) -> caf::result<session_record> {
        auto& st = self->state;
        auto rec = st.store->open(std::move(transport), server.address(), now(self),
                                  st.settings.max_sessions);
        if (rec)
          watch_server(self, rec->server);
        return rec;
      },
      [self](sm_bind_atom, std::string& id, caf::actor& server) -> caf::result<session_record> {
        auto rec = self->state.store->bind(id, server.address(), now(self), ttl(self));
        if (rec)
          watch_server(self, rec->server);
        return rec;
      },
      [self](sm_setver_atom, std::string& id, std::string& version) -> caf::result<session_record> {
        return self->state.store->set_version(id, std::move(version), now(self), ttl(self));
      },
      [self](sm_touch_atom, std::string& id) {
        self->state.store->touch(id, now(self), ttl(self));
      },
      [self](sm_lookup_atom, std::string& id) -> caf::result<session_record> {
        return self->state.store->lookup(id, now(self), ttl(self));
      },
      [self](sm_term_atom, std::string& id) -> caf::result<session_record> {
        auto rec = self->state.store->terminate(id, "deleted", now(self), ttl(self));
        if (rec)
          announce(self, {*rec});
        return rec;
      },
      [self](sm_term_atom, std::string& id, std::string& reason) -> caf::result<session_record> {
        auto rec = self->state.store->terminate(id, std::move(reason), now(self), ttl(self));
        if (rec)
          announce(self, {*rec});
        return rec;
      },
      [self](sm_count_atom) { return self->state.store->active_count(); },
      [self](sm_sweep_atom) { return sweep(self); },
      [self](sm_timer_atom, std::uint64_t token) {
        if (token != self->state.sweep_token)
          return;
        sweep(self);
        arm_sweep(self);
      },
      [self](sm_watch_atom, caf::actor& watcher) -> caf::result<caf::ok_atom> {
        if (!watcher)
          return caf::make_error(svc_errc::invalid_argument, "invalid watcher");
        self->state.store->add_watcher(watcher.address());
        self->state.monitors.watch(self, watcher.address());
        return caf::ok_atom::value;
      },
      [self](sm_unwatch_atom, caf::actor& watcher) {
        self->state.store->remove_watcher(watcher.address());
        return caf::ok_atom::value;
      },
  };
}

supervision::child_spec session_manager_spec(std::shared_ptr<session_store> store,
                                             session_settings settings, std::string id) {
  return service_spec(std::move(id), session_manager, std::move(store), std::move(settings));
}

} // namespace cafmcp::services
