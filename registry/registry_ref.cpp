#include "cafmcp/registry/registry_ref.hpp"

#include <caf/actor_cast.hpp>

namespace cafmcp::registry {

caf::actor registry_ref::get() const {
  std::lock_guard guard{mutex_};
  return caf::actor_cast<caf::actor>(current_);
}

void registry_ref::publish(const caf::actor& registry) {
  std::lock_guard guard{mutex_};
  current_ = registry.address();
}

void registry_ref::withdraw(const caf::actor_addr& registry) {
  std::lock_guard guard{mutex_};
  if (current_ == registry)
    current_ = caf::actor_addr{};
}

} // namespace cafmcp::registry
