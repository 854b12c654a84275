#include "cafmcp/actors/services/monitor_set.hpp"

#include <caf/actor_cast.hpp>
#include <caf/local_actor.hpp>

namespace cafmcp::services {

bool monitor_set::watch(caf::local_actor* self, const caf::actor_addr& addr) {
  if (watched_.count(addr) > 0)
    return true;
  auto handle = caf::actor_cast<caf::actor>(addr);
  if (!handle)
    return false;
  // A peer that already terminated (but is still referenced) gets its down message at once.
  self->monitor(handle);
  watched_.insert(addr);
  return true;
}

} // namespace cafmcp::services
