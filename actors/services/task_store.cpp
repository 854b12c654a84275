#include "cafmcp/actors/services/task_store.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "cafmcp/actors/services/secure_id.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/protocol/cursor.hpp"

namespace cafmcp::services {

namespace {

// Cursors are scoped to tasks/list, so one from another list is refused.
constexpr std::string_view list_scope = "tasks/list";

// A task's key in tasks/list: its creation number, fixed width so text order is number order.
std::string seq_key(std::uint64_t seq) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(seq));
  return buf;
}

std::optional<std::uint64_t> parse_seq_key(const std::string& key) {
  if (key.size() != 16 || key.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  return std::stoull(key, nullptr, 16);
}

} // namespace

caf::expected<task_record> task_store::create(std::string owner, std::int64_t ttl_ms,
                                              std::int64_t poll_interval_ms, std::int64_t now,
                                              const task_limits& limits) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (tasks_.size() >= limits.max_tasks)
    return caf::make_error(svc_errc::at_capacity, "max_tasks reached");
  auto& active = active_by_owner_[owner];
  if (active >= limits.max_active_per_owner)
    return caf::make_error(svc_errc::at_capacity, "too many active tasks for this requestor");
  entry e;
  do
    e.rec.task_id = make_secure_id();
  while (tasks_.count(e.rec.task_id) > 0);
  e.rec.owner = std::move(owner);
  e.rec.status = task_status::working;
  e.rec.created_ms = now;
  e.rec.last_updated_ms = now;
  e.rec.ttl_ms = ttl_ms <= 0 ? limits.default_ttl_ms : std::min(ttl_ms, limits.max_ttl_ms);
  e.rec.poll_interval_ms =
      poll_interval_ms <= 0 ? limits.default_poll_interval_ms : poll_interval_ms;
  e.seq = next_seq_++;
  ++active;
  by_owner_[e.rec.owner].emplace(e.seq, e.rec.task_id);
  by_expiry_.emplace(now + e.rec.ttl_ms, e.rec.task_id);
  auto id = e.rec.task_id;
  return tasks_.emplace(std::move(id), std::move(e)).first->second.rec;
}

caf::expected<task_store::entry*> task_store::find_locked(const std::string& task_id) {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end())
    return caf::make_error(svc_errc::not_found, task_id);
  return &it->second;
}

caf::expected<task_record> task_store::get(const std::string& owner,
                                           const std::string& task_id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = tasks_.find(task_id);
  // Another owner's task reads exactly like a missing one.
  if (it == tasks_.end() || it->second.rec.owner != owner)
    return caf::make_error(svc_errc::not_found, task_id);
  return it->second.rec;
}

caf::expected<task_record> task_store::get_any(const std::string& task_id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = tasks_.find(task_id);
  if (it == tasks_.end())
    return caf::make_error(svc_errc::not_found, task_id);
  return it->second.rec;
}

caf::expected<task_page> task_store::list(const std::string& owner, const std::string& cursor,
                                          std::size_t page_size) const {
  std::uint64_t after = 0;
  if (!cursor.empty()) {
    auto key = protocol::decode_cursor(list_scope, cursor);
    auto seq = key ? parse_seq_key(*key) : std::nullopt;
    if (!seq)
      return caf::make_error(svc_errc::invalid_cursor, cursor);
    after = *seq;
  }
  page_size = std::max<std::size_t>(page_size, 1);
  task_page page;
  std::lock_guard<std::mutex> guard{mtx_};
  auto owned = by_owner_.find(owner);
  if (owned == by_owner_.end())
    return page;
  // Resumes right after the last task seen, even if that one expired meanwhile.
  auto it = owned->second.upper_bound(after);
  for (; it != owned->second.end() && page.tasks.size() < page_size; ++it)
    page.tasks.push_back(tasks_.at(it->second).rec);
  if (it != owned->second.end())
    page.next_cursor = protocol::encode_cursor(list_scope, seq_key(std::prev(it)->first));
  return page;
}

caf::expected<task_record> task_store::change_locked(entry& e, task_status status,
                                                     std::string message, task_outcome outcome,
                                                     std::int64_t now) {
  auto& rec = e.rec;
  if (is_terminal(rec.status))
    return caf::make_error(svc_errc::already_terminal, rec.task_id, to_string(rec.status));
  if (!can_transition(rec.status, status))
    return caf::make_error(svc_errc::illegal_transition, rec.task_id,
                           to_string(rec.status) + " -> " + to_string(status));
  rec.status = status;
  rec.status_message = std::move(message);
  rec.last_updated_ms = now;
  rec.outcome = std::move(outcome);
  if (is_terminal(status)) {
    // Frees a slot of the owner's concurrency limit; the record itself stays until its ttl.
    auto& active = active_by_owner_[rec.owner];
    if (active > 0)
      --active;
  }
  return rec;
}

caf::expected<task_record> task_store::update(const std::string& task_id, task_status status,
                                              std::string message, std::int64_t now) {
  if (status == task_status::completed || status == task_status::failed)
    return caf::make_error(svc_errc::invalid_argument, task_id,
                           "completed and failed carry an outcome: use finish");
  std::lock_guard<std::mutex> guard{mtx_};
  auto e = find_locked(task_id);
  if (!e)
    return std::move(e.error());
  return change_locked(**e, status, std::move(message), task_outcome{}, now);
}

caf::expected<task_record> task_store::finish(const std::string& task_id, task_status status,
                                              task_outcome outcome, std::int64_t now) {
  if (status != task_status::completed && status != task_status::failed)
    return caf::make_error(svc_errc::invalid_argument, task_id, "finish needs completed or failed");
  if (outcome.kind == outcome_kind::none)
    return caf::make_error(svc_errc::invalid_argument, task_id, "finish without an outcome");
  std::lock_guard<std::mutex> guard{mtx_};
  auto e = find_locked(task_id);
  if (!e)
    return std::move(e.error());
  return change_locked(**e, status, {}, std::move(outcome), now);
}

caf::expected<task_record> task_store::cancel(const std::string& owner, const std::string& task_id,
                                              std::int64_t now) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto e = find_locked(task_id);
  if (!e || (*e)->rec.owner != owner)
    return caf::make_error(svc_errc::not_found, task_id);
  return change_locked(**e, task_status::cancelled, "cancelled by the requestor", task_outcome{},
                       now);
}

void task_store::erase_locked(std::unordered_map<std::string, entry>::iterator it) {
  auto& rec = it->second.rec;
  if (!is_terminal(rec.status)) {
    auto& active = active_by_owner_[rec.owner];
    if (active > 0)
      --active;
  }
  if (auto active = active_by_owner_.find(rec.owner);
      active != active_by_owner_.end() && active->second == 0)
    active_by_owner_.erase(active);
  if (auto owned = by_owner_.find(rec.owner); owned != by_owner_.end()) {
    owned->second.erase(it->second.seq);
    if (owned->second.empty())
      by_owner_.erase(owned);
  }
  tasks_.erase(it);
}

std::vector<task_record> task_store::expire(std::int64_t now) {
  std::vector<task_record> out;
  std::lock_guard<std::mutex> guard{mtx_};
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    auto it = tasks_.find(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
    if (it == tasks_.end())
      continue;
    out.push_back(it->second.rec);
    erase_locked(it);
  }
  return out;
}

std::size_t task_store::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return tasks_.size();
}

std::size_t task_store::active_count(const std::string& owner) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = active_by_owner_.find(owner);
  return it == active_by_owner_.end() ? 0 : it->second;
}

void task_store::add_subscriber(const std::string& owner, const caf::actor_addr& subscriber) {
  std::lock_guard<std::mutex> guard{mtx_};
  subscribers_[owner].insert(subscriber);
  owners_of_[subscriber].insert(owner);
}

void task_store::remove_subscriber(const std::string& owner, const caf::actor_addr& subscriber) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = subscribers_.find(owner);
  if (it == subscribers_.end())
    return;
  it->second.erase(subscriber);
  if (it->second.empty())
    subscribers_.erase(it);
  if (auto o = owners_of_.find(subscriber); o != owners_of_.end()) {
    o->second.erase(owner);
    if (o->second.empty())
      owners_of_.erase(o);
  }
}

void task_store::drop_subscriber(const caf::actor_addr& subscriber) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto o = owners_of_.find(subscriber);
  if (o == owners_of_.end())
    return;
  for (const auto& owner : o->second) {
    auto it = subscribers_.find(owner);
    if (it == subscribers_.end())
      continue;
    it->second.erase(subscriber);
    if (it->second.empty())
      subscribers_.erase(it);
  }
  owners_of_.erase(o);
}

std::vector<caf::actor_addr> task_store::subscribers(const std::string& owner) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = subscribers_.find(owner);
  if (it == subscribers_.end())
    return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<caf::actor_addr> task_store::all_subscribers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<caf::actor_addr> all;
  all.reserve(owners_of_.size());
  for (auto& [subscriber, owners] : owners_of_)
    all.push_back(subscriber);
  return all;
}

} // namespace cafmcp::services
