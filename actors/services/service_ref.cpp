#include "cafmcp/actors/services/service_ref.hpp"

#include <caf/actor_cast.hpp>

namespace cafmcp::services {

caf::actor service_ref::get() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return caf::actor_cast<caf::actor>(current_);
}

void service_ref::publish(const caf::actor& service) {
  std::lock_guard<std::mutex> guard{mtx_};
  current_ = service.address();
}

void service_ref::withdraw(const caf::actor_addr& service) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (current_ == service)
    current_ = caf::actor_addr{};
}

} // namespace cafmcp::services
