#include "cafmcp/actors/services/session_store.hpp"

#include <utility>

#include "cafmcp/actors/services/secure_id.hpp"
#include "cafmcp/actors/services/service_error.hpp"

namespace cafmcp::services {

namespace {

bool past_ttl(const session_record& rec, std::int64_t now, std::int64_t ttl) {
  return ttl > 0 && now - rec.last_seen_ms >= ttl;
}

// The live session `id` in `sessions`, or the error that says why it is not live. Callers hold
// the store's lock. A template so that const and mutable lookups share one rule.
template <class Map>
auto live(Map& sessions, const std::string& id, std::int64_t now, std::int64_t ttl)
    -> caf::expected<decltype(&sessions.begin()->second)> {
  auto it = sessions.find(id);
  if (it == sessions.end())
    return caf::make_error(svc_errc::not_found, id);
  auto& rec = it->second;
  if (rec.status == session_status::terminated)
    return caf::make_error(svc_errc::session_terminated, id);
  if (rec.status == session_status::expired || past_ttl(rec, now, ttl))
    return caf::make_error(svc_errc::session_expired, id);
  return &rec;
}

} // namespace

std::string to_string(session_status x) {
  switch (x) {
  case session_status::active:
    return "active";
  case session_status::terminated:
    return "terminated";
  case session_status::expired:
    return "expired";
  }
  return "unknown";
}

caf::expected<session_record> session_store::open(std::string transport, caf::actor_addr server,
                                                  std::int64_t now, std::size_t max_active) {
  if (transport.empty())
    return caf::make_error(svc_errc::invalid_argument, "session without a transport kind");
  std::lock_guard<std::mutex> guard{mtx_};
  if (active_ >= max_active)
    return caf::make_error(svc_errc::at_capacity, "max_sessions reached");
  session_record rec;
  // 192 random bits: a collision is not a practical event, but an id must never be reused
  // (an ended id still answers 404), so draw again if it ever happens.
  do
    rec.id = make_secure_id();
  while (sessions_.count(rec.id) > 0);
  rec.transport = std::move(transport);
  rec.server = std::move(server);
  rec.created_ms = now;
  rec.last_seen_ms = now;
  if (rec.server)
    by_server_[rec.server].insert(rec.id);
  ++active_;
  auto& stored = sessions_.emplace(rec.id, std::move(rec)).first->second;
  return stored;
}

caf::expected<session_record> session_store::lookup(const std::string& id, std::int64_t now,
                                                    std::int64_t ttl) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto r = live(sessions_, id, now, ttl);
  if (!r)
    return std::move(r.error());
  return **r;
}

void session_store::touch(const std::string& id, std::int64_t now, std::int64_t ttl) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto r = live(sessions_, id, now, ttl))
    (*r)->last_seen_ms = now;
}

caf::expected<session_record> session_store::bind(const std::string& id, caf::actor_addr server,
                                                  std::int64_t now, std::int64_t ttl) {
  if (!server)
    return caf::make_error(svc_errc::invalid_argument, "bind without a server");
  std::lock_guard<std::mutex> guard{mtx_};
  auto r = live(sessions_, id, now, ttl);
  if (!r)
    return std::move(r.error());
  auto& rec = **r;
  unindex_server(rec);
  rec.server = std::move(server);
  by_server_[rec.server].insert(rec.id);
  rec.last_seen_ms = now;
  return rec;
}

caf::expected<session_record> session_store::set_version(const std::string& id, std::string version,
                                                         std::int64_t now, std::int64_t ttl) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto r = live(sessions_, id, now, ttl);
  if (!r)
    return std::move(r.error());
  auto& rec = **r;
  rec.protocol_version = std::move(version);
  rec.last_seen_ms = now;
  return rec;
}

caf::expected<session_record> session_store::terminate(const std::string& id, std::string reason,
                                                       std::int64_t now, std::int64_t ttl) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto r = live(sessions_, id, now, ttl);
  if (!r)
    return std::move(r.error());
  end_locked(**r, session_status::terminated, std::move(reason), now);
  return **r;
}

std::vector<session_record> session_store::terminate_server(const caf::actor_addr& server,
                                                            std::string reason, std::int64_t now) {
  std::vector<session_record> out;
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = by_server_.find(server);
  if (it == by_server_.end())
    return out;
  auto ids = std::move(it->second);
  by_server_.erase(it);
  for (auto& id : ids) {
    auto s = sessions_.find(id);
    if (s == sessions_.end() || s->second.status != session_status::active)
      continue;
    end_locked(s->second, session_status::terminated, reason, now);
    out.push_back(s->second);
  }
  return out;
}

std::vector<session_record> session_store::expire(std::int64_t now, std::int64_t ttl) {
  std::vector<session_record> out;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [id, rec] : sessions_)
    if (rec.status == session_status::active && past_ttl(rec, now, ttl)) {
      end_locked(rec, session_status::expired, "expired", now);
      out.push_back(rec);
    }
  return out;
}

std::size_t session_store::forget_ended(std::int64_t ended_before, std::size_t keep_max) {
  std::lock_guard<std::mutex> guard{mtx_};
  std::size_t n = 0;
  // Oldest first: by time, then by count.
  while (!ended_by_time_.empty() &&
         (ended_by_time_.begin()->first < ended_before || ended_by_time_.size() > keep_max)) {
    sessions_.erase(ended_by_time_.begin()->second);
    ended_by_time_.erase(ended_by_time_.begin());
    ++n;
  }
  return n;
}

void session_store::end_locked(session_record& rec, session_status how, std::string reason,
                               std::int64_t now) {
  unindex_server(rec);
  rec.status = how;
  rec.end_reason = std::move(reason);
  rec.ended_ms = now;
  ended_by_time_.emplace(now, rec.id);
  --active_;
}

void session_store::unindex_server(const session_record& rec) {
  if (!rec.server)
    return;
  auto it = by_server_.find(rec.server);
  if (it == by_server_.end())
    return;
  it->second.erase(rec.id);
  if (it->second.empty())
    by_server_.erase(it);
}

std::size_t session_store::active_count() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return active_;
}

std::size_t session_store::ended_count() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return ended_by_time_.size();
}

std::vector<session_record> session_store::active_sessions() const {
  std::vector<session_record> out;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [id, rec] : sessions_)
    if (rec.status == session_status::active)
      out.push_back(rec);
  return out;
}

void session_store::add_watcher(const caf::actor_addr& watcher) {
  std::lock_guard<std::mutex> guard{mtx_};
  watchers_.insert(watcher);
}

void session_store::remove_watcher(const caf::actor_addr& watcher) {
  std::lock_guard<std::mutex> guard{mtx_};
  watchers_.erase(watcher);
}

std::vector<caf::actor_addr> session_store::watchers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return {watchers_.begin(), watchers_.end()};
}

} // namespace cafmcp::services
