#pragma once
// session id -> session actor of one HTTP transport. Looked up on io threads
// (a short mutex, never a CAF round trip); owned by the transport, so it
// outlives listener restarts.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>

namespace cafmcp::transports::detail {

class session_directory {
public:
  void put(const std::string& id, caf::actor a) {
    std::lock_guard<std::mutex> guard{mtx_};
    map_[id] = std::move(a);
  }
  caf::actor find(const std::string& id) const {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = map_.find(id);
    return i == map_.end() ? caf::actor{} : i->second;
  }
  /// Erases `id` if it still maps to `owner`.
  void erase(const std::string& id, const caf::actor_addr& owner) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = map_.find(id);
    if (i != map_.end() && i->second.address() == owner)
      map_.erase(i);
  }
  std::size_t size() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return map_.size();
  }

private:
  mutable std::mutex mtx_;
  std::unordered_map<std::string, caf::actor> map_;
};

} // namespace cafmcp::transports::detail
