#include "cafmcp/actors/mcp/subscription_port.hpp"

#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

namespace cafmcp::mcp {

// -- local_subscriptions --------------------------------------------------------

bool local_subscriptions::subscribe(const caf::actor& session, const std::string& session_id,
                                    const std::string& uri) {
  if (!session)
    return false;
  std::lock_guard<std::mutex> guard{mtx_};
  table_[uri][session.id()] = subscriber{caf::actor_cast<caf::weak_actor_ptr>(session), session_id};
  return true;
}

void local_subscriptions::unsubscribe(const caf::actor& session, const std::string&,
                                      const std::string& uri) {
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

void local_subscriptions::drop(caf::actor_id session, const std::string&) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto it = table_.begin(); it != table_.end();) {
    it->second.erase(session);
    it = it->second.empty() ? table_.erase(it) : std::next(it);
  }
}

std::size_t local_subscriptions::publish(const std::string& uri) {
  std::vector<std::pair<caf::actor, std::string>> targets;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto it = table_.find(uri);
    if (it == table_.end())
      return 0;
    for (auto s = it->second.begin(); s != it->second.end();) {
      if (auto strong = s->second.actor.lock()) {
        targets.emplace_back(caf::actor_cast<caf::actor>(std::move(strong)), s->second.session_id);
        ++s;
      } else {
        s = it->second.erase(s);
      }
    }
  }
  // Outside the lock: sending may allocate, and publishers must never wait
  // on each other because of a mailbox.
  for (auto& [actor, session_id] : targets)
    caf::anon_send(actor, services::rs_updated_atom::value, uri, session_id);
  return targets.size();
}

std::size_t local_subscriptions::subscriber_count(const std::string& uri) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = table_.find(uri);
  return it == table_.end() ? 0 : it->second.size();
}

// -- service_subscriptions ------------------------------------------------------

service_subscriptions::service_subscriptions(std::shared_ptr<services::service_ref> ref)
    : ref_(std::move(ref)) {}

bool service_subscriptions::subscribe(const caf::actor& session, const std::string& session_id,
                                      const std::string& uri) {
  auto svc = ref_->get();
  if (!svc || !session)
    return false;
  caf::anon_send(svc, services::rs_sub_atom::value, uri, session_id, session);
  return true;
}

void service_subscriptions::unsubscribe(const caf::actor&, const std::string& session_id,
                                        const std::string& uri) {
  if (auto svc = ref_->get())
    caf::anon_send(svc, services::rs_unsub_atom::value, uri, session_id);
}

void service_subscriptions::drop(caf::actor_id, const std::string& session_id) {
  // The service also drops a dead subscriber by itself (it monitors them);
  // this just makes it immediate.
  if (auto svc = ref_->get())
    caf::anon_send(svc, services::rs_drop_atom::value, session_id);
}

} // namespace cafmcp::mcp
