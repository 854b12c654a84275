#include "cafmcp/actors/core/recovery_store.hpp"

namespace cafmcp::core {

namespace {
constexpr size_t max_recent = 1024;
} // namespace

recovery_store::recovery_store(size_t num_pools)
    : num_pools_(num_pools), pool_crashes_(num_pools) {}

void recovery_store::child_down(const std::string& supervisor, const std::string& child,
                                clock::time_point at) {
  std::lock_guard<std::mutex> guard{mtx_};
  // The first death counts: a restart that fails and is retried is one outage.
  down_since_.emplace(key{supervisor, child}, at);
}

std::optional<recovery_sample> recovery_store::child_up(const std::string& supervisor,
                                                        const std::string& child,
                                                        clock::time_point at,
                                                        std::chrono::microseconds target) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = down_since_.find(key{supervisor, child});
  if (i == down_since_.end())
    return std::nullopt; // a first start, not a recovery
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(at - i->second).count();
  down_since_.erase(i);
  auto& s = summaries_[key{supervisor, child}];
  s.supervisor = supervisor;
  s.child = child;
  ++s.recoveries;
  s.last_us = us;
  s.max_us = std::max(s.max_us, us);
  if (us > target.count())
    ++s.over_target;
  recovery_sample sample{supervisor, child, us};
  recent_.push_back(sample);
  if (recent_.size() > max_recent)
    recent_.pop_front();
  return sample;
}

std::vector<recovery_summary> recovery_store::summaries() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<recovery_summary> out;
  for (auto& kv : summaries_)
    out.push_back(kv.second);
  return out;
}

std::vector<recovery_sample> recovery_store::recent(size_t max) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto n = std::min(max, recent_.size());
  return {recent_.end() - static_cast<ptrdiff_t>(n), recent_.end()};
}

bool recovery_store::pool_crashed(size_t pool, clock::time_point at, uint32_t max_crashes,
                                  std::chrono::milliseconds window) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (pool >= num_pools_)
    return false;
  auto& crashes = pool_crashes_[pool];
  crashes.push_back(at);
  while (!crashes.empty() && at - crashes.front() > window)
    crashes.pop_front();
  if (crashes.size() > max_crashes && unhealthy_.count(pool) == 0) {
    unhealthy_.insert(pool);
    return true;
  }
  return false;
}

std::vector<size_t> recovery_store::readmit_stable(clock::time_point now,
                                                   std::chrono::milliseconds stable_after) {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<size_t> readmitted;
  for (auto i = unhealthy_.begin(); i != unhealthy_.end();) {
    auto& crashes = pool_crashes_[*i];
    if (crashes.empty() || now - crashes.back() >= stable_after) {
      crashes.clear();
      readmitted.push_back(*i);
      i = unhealthy_.erase(i);
    } else {
      ++i;
    }
  }
  return readmitted;
}

std::set<size_t> recovery_store::unhealthy_pools() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return unhealthy_;
}

bool recovery_store::is_unhealthy(size_t pool) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return unhealthy_.count(pool) > 0;
}

} // namespace cafmcp::core
