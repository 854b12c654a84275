#include "cafmcp/actors/services/icon_cache.hpp"

#include <utility>

#include <caf/result.hpp>

#include "cafmcp/actors/services/icon_messages.hpp"
#include "cafmcp/actors/services/service_actor.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/service_spec.hpp"

namespace cafmcp::services {

caf::behavior icon_cache(caf::stateful_actor<icon_cache_state>* self,
                         std::shared_ptr<icon_store> store, icon_settings settings) {
  if (!store) {
    self->quit(caf::make_error(svc_errc::invalid_argument, "icon_cache without a store"));
    return {};
  }
  self->state.store = std::move(store);
  self->state.settings = settings;
  prepare_service_actor(self, self->state.settings.ref);
  return {
      [self](ic_put_atom, std::string& owner, std::string& icons_json) -> caf::result<std::string> {
        return self->state.store->put(owner, icons_json, self->state.settings.limits);
      },
      [self](ic_check_atom, std::string& icons_json) -> caf::result<std::string> {
        auto valid = validate_icons(icons_json, self->state.settings.limits);
        if (!valid)
          self->state.store->count_rejected();
        return valid;
      },
      [self](ic_get_atom, std::string& owner) -> caf::result<std::string> {
        return self->state.store->get(owner);
      },
      [self](ic_del_atom, std::string& owner) -> caf::result<caf::ok_atom> {
        if (auto err = self->state.store->erase(owner))
          return err;
        return caf::ok_atom::value;
      },
      [self](ic_stats_atom) { return self->state.store->stats(); },
  };
}

supervision::child_spec icon_cache_spec(std::shared_ptr<icon_store> store, icon_settings settings,
                                        std::string id) {
  return service_spec(std::move(id), icon_cache, std::move(store), settings);
}

} // namespace cafmcp::services
