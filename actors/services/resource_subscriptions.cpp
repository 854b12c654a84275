#include "cafmcp/actors/services/resource_subscriptions.hpp"

#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "cafmcp/actors/services/resource_messages.hpp"
#include "cafmcp/actors/services/service_actor.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/service_spec.hpp"

namespace cafmcp::services {

namespace {

using self_ptr = caf::stateful_actor<resource_subscriptions_state>*;

// Monitors `subscriber`, or drops its subscriptions when it is gone for good.
void watch(self_ptr self, const caf::actor_addr& subscriber) {
  if (!self->state.monitors.watch(self, subscriber))
    self->state.store->drop_subscriber(subscriber);
}

std::size_t notify(self_ptr self, const std::string& uri) {
  std::size_t n = 0;
  for (auto& [session, addr] : self->state.store->subscribers(uri)) {
    auto subscriber = caf::actor_cast<caf::actor>(addr);
    if (!subscriber) {
      self->state.store->drop_subscriber(addr);
      continue;
    }
    caf::anon_send(subscriber, rs_updated_atom::value, uri, session);
    ++n;
  }
  return n;
}

} // namespace

caf::behavior resource_subscriptions(self_ptr self, std::shared_ptr<subscription_store> store,
                                     resource_settings settings) {
  if (!store) {
    self->quit(
        caf::make_error(svc_errc::invalid_argument, "resource_subscriptions without a store"));
    return {};
  }
  self->state.store = std::move(store);
  self->state.settings = settings;
  self->set_down_handler([self](caf::down_msg& dm) {
    self->state.monitors.forget(dm.source);
    self->state.store->drop_subscriber(dm.source);
  });
  for (auto& addr : self->state.store->all_subscribers())
    watch(self, addr);
  prepare_service_actor(self, self->state.settings.ref);
  return {
      [self](rs_sub_atom, std::string& uri, std::string& session,
             caf::actor& subscriber) -> caf::result<caf::ok_atom> {
        auto addr = subscriber.address();
        if (auto err = self->state.store->subscribe(uri, session, addr,
                                                    self->state.settings.max_per_session))
          return err;
        watch(self, addr);
        return caf::ok_atom::value;
      },
      [self](rs_unsub_atom, std::string& uri, std::string& session) -> caf::result<caf::ok_atom> {
        if (auto err = self->state.store->unsubscribe(uri, session))
          return err;
        return caf::ok_atom::value;
      },
      [self](rs_drop_atom, std::string& session) {
        return self->state.store->drop_session(session);
      },
      [self](rs_notify_atom, std::string& uri) { return notify(self, uri); },
      [self](rs_list_atom, std::string& uri) {
        std::vector<std::string> sessions;
        for (auto& [session, addr] : self->state.store->subscribers(uri))
          sessions.push_back(session);
        return sessions;
      },
      [self](rs_count_atom) { return self->state.store->size(); },
  };
}

supervision::child_spec resource_subscriptions_spec(std::shared_ptr<subscription_store> store,
                                                    resource_settings settings, std::string id) {
  return service_spec(std::move(id), resource_subscriptions, std::move(store), settings);
}

} // namespace cafmcp::services
