#include "cafmcp/actors/mcp/subscription_port.hpp"

#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

namespace cafmcp::mcp {

void local_subscriptions::subscribe(const caf::actor& session, const std::string& uri) {
  if (!session)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  table_[uri][session.id()] = caf::actor_cast<caf::weak_actor_ptr>(session);
}

void local_subscriptions::unsubscribe(const caf::actor& session, const std::string& uri) {
  if (!session)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = table_.find(uri);
  if (it == table_.end())
    return;
  it->second.erase(session.id());
  if (it->second.empty())
    table_.erase(it);
}

void local_subscriptions::drop(caf::actor_id session) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto it = table_.begin(); it != table_.end();) {
    it->second.erase(session);
    it = it->second.empty() ? table_.erase(it) : std::next(it);
  }
}

std::size_t local_subscriptions::publish(const std::string& uri) {
  std::vector<caf::actor> targets;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto it = table_.find(uri);
    if (it == table_.end())
      return 0;
    for (auto s = it->second.begin(); s != it->second.end();) {
      if (auto strong = s->second.lock()) {
        targets.push_back(caf::actor_cast<caf::actor>(std::move(strong)));
        ++s;
      } else {
        s = it->second.erase(s);
      }
    }
  }
  for (auto& t : targets)
    caf::anon_send(t, resource_updated_atom::value, uri);
  return targets.size();
}

std::size_t local_subscriptions::subscriber_count(const std::string& uri) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = table_.find(uri);
  return it == table_.end() ? 0 : it->second.size();
}

} // namespace cafmcp::mcp
