#include "cafmcp/actors/services/subscription_store.hpp"

#include "cafmcp/actors/services/service_error.hpp"

namespace cafmcp::services {

caf::error subscription_store::subscribe(const std::string& uri, const std::string& session,
                                         const caf::actor_addr& subscriber,
                                         std::size_t max_per_session) {
  if (uri.empty() || session.empty() || !subscriber)
    return caf::make_error(svc_errc::invalid_argument, "subscribe needs a uri, a session id "
                                                       "and a subscriber");
  std::lock_guard<std::mutex> guard{mtx_};
  auto& uris = by_session_[session];
  if (uris.count(uri) == 0) {
    if (uris.size() >= max_per_session) {
      if (uris.empty())
        by_session_.erase(session);
      return caf::make_error(svc_errc::at_capacity, "too many subscriptions for this session");
    }
    uris.insert(uri);
    ++size_;
  }
  auto& holder = by_uri_[uri][session];
  if (holder != subscriber) {
    if (holder)
      unindex_locked(holder, uri, session);
    holder = subscriber;
    by_subscriber_[subscriber].emplace(uri, session);
  }
  return {};
}

void subscription_store::unindex_locked(const caf::actor_addr& subscriber, const std::string& uri,
                                        const std::string& session) {
  auto it = by_subscriber_.find(subscriber);
  if (it == by_subscriber_.end())
    return;
  it->second.erase({uri, session});
  if (it->second.empty())
    by_subscriber_.erase(it);
}

void subscription_store::erase_locked(const std::string& uri, const std::string& session) {
  auto it = by_uri_.find(uri);
  if (it == by_uri_.end())
    return;
  auto held = it->second.find(session);
  if (held == it->second.end())
    return;
  unindex_locked(held->second, uri, session);
  it->second.erase(held);
  --size_;
  if (it->second.empty())
    by_uri_.erase(it);
  auto s = by_session_.find(session);
  if (s != by_session_.end()) {
    s->second.erase(uri);
    if (s->second.empty())
      by_session_.erase(s);
  }
}

caf::error subscription_store::unsubscribe(const std::string& uri, const std::string& session) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto s = by_session_.find(session);
  if (s == by_session_.end() || s->second.count(uri) == 0)
    return caf::make_error(svc_errc::not_found, uri, session);
  erase_locked(uri, session);
  return {};
}

std::size_t subscription_store::drop_session(const std::string& session) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto s = by_session_.find(session);
  if (s == by_session_.end())
    return 0;
  auto uris = s->second; // erase_locked edits the index we iterate otherwise
  for (auto& uri : uris)
    erase_locked(uri, session);
  return uris.size();
}

std::size_t subscription_store::drop_subscriber(const caf::actor_addr& subscriber) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = by_subscriber_.find(subscriber);
  if (it == by_subscriber_.end())
    return 0;
  auto doomed = std::move(it->second); // erase_locked edits the index we iterate otherwise
  by_subscriber_.erase(it);
  for (auto& [uri, session] : doomed)
    erase_locked(uri, session);
  return doomed.size();
}

std::vector<std::pair<std::string, caf::actor_addr>>
subscription_store::subscribers(const std::string& uri) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = by_uri_.find(uri);
  if (it == by_uri_.end())
    return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<caf::actor_addr> subscription_store::all_subscribers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<caf::actor_addr> all;
  all.reserve(by_subscriber_.size());
  for (auto& [addr, held] : by_subscriber_)
    all.push_back(addr);
  return all;
}

std::size_t subscription_store::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return size_;
}

} // namespace cafmcp::services
