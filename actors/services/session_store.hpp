// The session manager's data: every session record, active or recently ended, and the watchers.
//
// Why a separate object: it must survive the session manager's crash (the ETS "heir" idea,
// DESIGN.md §2). Whoever builds the tree creates it and the child spec's start function hands it
// to every incarnation of the actor, so a restart loses no session.
//
// The store holds the rules (what "live" means, what may change when); the actor adds time,
// monitors, timers and notifications. Every method takes the current time and the ttl, so the
// rules are plain functions of their inputs. Thread-safe (one mutex): only the actor writes, but
// others (an admin view, tests) may read while it does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/expected.hpp>

#include "cafmcp/actors/services/session_messages.hpp"

namespace cafmcp::services {

class session_store {
public:
  session_store() = default;
  session_store(const session_store&) = delete;
  session_store& operator=(const session_store&) = delete;

  // A new active session with a fresh secure id; at_capacity when `max_active` are active.
  caf::expected<session_record> open(std::string transport, caf::actor_addr server,
                                     std::int64_t now, std::size_t max_active);

  // The record of a live session, or why there is none (not_found, session_terminated,
  // session_expired). A session past its ttl reads as expired before the sweep marks it.
  caf::expected<session_record> lookup(const std::string& id, std::int64_t now,
                                       std::int64_t ttl) const;

  // Activity on a live session; nothing for any other id.
  void touch(const std::string& id, std::int64_t now, std::int64_t ttl);

  caf::expected<session_record> bind(const std::string& id, caf::actor_addr server,
                                     std::int64_t now, std::int64_t ttl);
  caf::expected<session_record> set_version(const std::string& id, std::string version,
                                            std::int64_t now, std::int64_t ttl);

  // Ends a live session as terminated with `reason`.
  caf::expected<session_record> terminate(const std::string& id, std::string reason,
                                          std::int64_t now, std::int64_t ttl);

  // Ends every live session served by `server` (it died); returns them.
  std::vector<session_record> terminate_server(const caf::actor_addr& server, std::string reason,
                                               std::int64_t now);

  // Marks every active session past its ttl as expired; returns them.
  std::vector<session_record> expire(std::int64_t now, std::int64_t ttl);

  // Forgets ended sessions that ended before `ended_before`, and the oldest ones beyond
  // `keep_max`. Returns how many were forgotten.
  std::size_t forget_ended(std::int64_t ended_before, std::size_t keep_max);

  std::size_t active_count() const;
  std::size_t ended_count() const;
  std::vector<session_record> active_sessions() const;

  void add_watcher(const caf::actor_addr& watcher);
  void remove_watcher(const caf::actor_addr& watcher);
  std::vector<caf::actor_addr> watchers() const;

private:
  using map_type = std::unordered_map<std::string, session_record>;

  void end_locked(session_record& rec, session_status how, std::string reason, std::int64_t now);
  void unindex_server(const session_record& rec);

  mutable std::mutex mtx_;
  map_type sessions_;
  std::size_t active_ = 0;
  std::unordered_map<caf::actor_addr, std::unordered_set<std::string>> by_server_;
  std::multimap<std::int64_t, std::string> ended_by_time_;
  std::unordered_set<caf::actor_addr> watchers_;
};

} // namespace cafmcp::services
