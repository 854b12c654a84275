// The resource subscriptions: uri -> (session id -> subscriber actor), with an index by
// session and one by subscriber (a pool that dies drops its servers' subscriptions one
// subscriber at a time: without that index each drop scanned every subscription).
//
// Why a separate object: subscriptions must survive the service's crash (DESIGN.md §2); a
// client that subscribed must keep getting updates without subscribing again. Subscribers are
// kept as caf::actor_addr (weak), so the store never keeps a dead server actor alive; each
// incarnation of the service monitors them again. Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/error.hpp>

namespace cafmcp::services {

class subscription_store {
public:
  subscription_store() = default;
  subscription_store(const subscription_store&) = delete;
  subscription_store& operator=(const subscription_store&) = delete;

  // Adds or refreshes (uri, session) -> subscriber; at_capacity beyond `max_per_session`.
  caf::error subscribe(const std::string& uri, const std::string& session,
                       const caf::actor_addr& subscriber, std::size_t max_per_session);
  caf::error unsubscribe(const std::string& uri, const std::string& session);
  std::size_t drop_session(const std::string& session);
  // Removes every subscription held by `subscriber` (it died); returns how many.
  std::size_t drop_subscriber(const caf::actor_addr& subscriber);

  std::vector<std::pair<std::string, caf::actor_addr>> subscribers(const std::string& uri) const;
  std::vector<caf::actor_addr> all_subscribers() const;
  std::size_t size() const;

private:
  void erase_locked(const std::string& uri, const std::string& session);
  void unindex_locked(const caf::actor_addr& subscriber, const std::string& uri,
                      const std::string& session);

  mutable std::mutex mtx_;
  std::map<std::string, std::map<std::string, caf::actor_addr>> by_uri_;
  std::unordered_map<std::string, std::set<std::string>> by_session_;
  std::map<caf::actor_addr, std::set<std::pair<std::string, std::string>>> by_subscriber_;
  std::size_t size_ = 0;
};

} // namespace cafmcp::services
