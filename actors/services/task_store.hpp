// The task manager's data: every task record with its outcome, by id and by owner, and the
// status subscribers.
//
// Why a separate object: task records must survive the task manager's crash (DESIGN.md §2); a
// client polling tasks/get after a restart still finds its task and its result. The pending
// tasks/result requests are not in here: a response promise belongs to the actor that made it,
// so those waiters get service_restarted when the manager dies and simply ask again.
//
// The store holds the rules (status machine, scoping, limits, expiry); the actor adds time,
// waiters, notifications and timers. Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/expected.hpp>

#include "cafmcp/actors/services/task_messages.hpp"

namespace cafmcp::services {

struct task_limits {
  std::int64_t default_ttl_ms = 3600000;
  std::int64_t max_ttl_ms = 86400000;
  std::int64_t default_poll_interval_ms = 1000;
  std::size_t max_active_per_owner = 100; // non-terminal tasks of one requestor
  std::size_t max_tasks = 100000;         // all tasks kept, terminal ones included
  std::size_t page_size = 50;             // tasks/list
};

class task_store {
public:
  task_store() = default;
  task_store(const task_store&) = delete;
  task_store& operator=(const task_store&) = delete;

  caf::expected<task_record> create(std::string owner, std::int64_t ttl_ms,
                                    std::int64_t poll_interval_ms, std::int64_t now,
                                    const task_limits& limits);

  // The task if it exists and belongs to `owner`; otherwise not_found.
  caf::expected<task_record> get(const std::string& owner, const std::string& task_id) const;

  // Executor side: no owner check. `get_any` also serves the actor's own bookkeeping.
  caf::expected<task_record> get_any(const std::string& task_id) const;

  caf::expected<task_page> list(const std::string& owner, const std::string& cursor,
                                std::size_t page_size) const;

  // Moves the task to `status` (not completed/failed: those need an outcome, see finish).
  caf::expected<task_record> update(const std::string& task_id, task_status status,
                                    std::string message, std::int64_t now);

  // Moves the task to completed or failed with the outcome of the underlying request.
  caf::expected<task_record> finish(const std::string& task_id, task_status status,
                                    task_outcome outcome, std::int64_t now);

  // Requestor side: cancels a non-terminal task of `owner`.
  caf::expected<task_record> cancel(const std::string& owner, const std::string& task_id,
                                    std::int64_t now);

  // Removes every task whose ttl has run out; returns them.
  std::vector<task_record> expire(std::int64_t now);

  std::size_t size() const;
  std::size_t active_count(const std::string& owner) const;

  void add_subscriber(const std::string& owner, const caf::actor_addr& subscriber);
  void remove_subscriber(const std::string& owner, const caf::actor_addr& subscriber);
  // Removes `subscriber` from every owner (it died).
  void drop_subscriber(const caf::actor_addr& subscriber);
  std::vector<caf::actor_addr> subscribers(const std::string& owner) const;
  std::vector<caf::actor_addr> all_subscribers() const;

private:
  struct entry {
    task_record rec;
    std::uint64_t seq = 0; // creation order, the key of tasks/list
  };

  caf::expected<entry*> find_locked(const std::string& task_id);
  caf::expected<task_record> change_locked(entry& e, task_status status, std::string message,
                                           task_outcome outcome, std::int64_t now);
  void erase_locked(std::unordered_map<std::string, entry>::iterator it);

  mutable std::mutex mtx_;
  std::unordered_map<std::string, entry> tasks_;
  // Per owner: creation order -> task id (for tasks/list) and the number of non-terminal tasks.
  std::unordered_map<std::string, std::map<std::uint64_t, std::string>> by_owner_;
  std::unordered_map<std::string, std::size_t> active_by_owner_;
  std::multimap<std::int64_t, std::string> by_expiry_;
  std::uint64_t next_seq_ = 1;
  std::unordered_map<std::string, std::set<caf::actor_addr>> subscribers_;
  // The reverse: a subscriber's owners. A node that stops ends every session
  // at once, and each one's down message drops its subscriber: without this
  // index each drop walked every owner (quadratic; minutes at 100,000).
  std::unordered_map<caf::actor_addr, std::set<std::string>> owners_of_;
};

} // namespace cafmcp::services
