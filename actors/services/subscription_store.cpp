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
  by_uri_[uri][session] = subscriber;
  return {};
}

void subscription_store::erase_locked(const std::string& uri, const std::string& session) {
  auto it = by_uri_.find(uri);
  if (it == by_uri_.end() || it->second.erase(session) == 0)
    return;
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
  std::vector<std::pair<std::string, std::string>> doomed;
  for (auto& [uri, sessions] : by_uri_)
    for (auto& [session, addr] : sessions)
      if (addr == subscriber)
        doomed.emplace_back(uri, session);
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
  std::set<caf::actor_addr> all;
  for (auto& [uri, sessions] : by_uri_)
    for (auto& [session, addr] : sessions)
      all.insert(addr);
  return {all.begin(), all.end()};
}

std::size_t subscription_store::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return size_;
}

} // namespace cafmcp::services
