#pragma once
// What the recovery manager knows, kept outside the actor (owned by whoever
// builds the tree) so that a restarted recovery manager carries on with it,
// and readable from other threads: the session broker asks it, on every new
// connection, which pools it must skip.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cafmcp::core {

// One measured recovery: a child of `supervisor` died and its replacement ran
// `micros` later (the replacement counts as running once its init completed).
struct recovery_sample {
  std::string supervisor;
  std::string child;
  int64_t micros = 0;
};

struct recovery_summary {
  std::string supervisor;
  std::string child;
  uint64_t recoveries = 0;
  int64_t last_us = 0;
  int64_t max_us = 0;
  uint64_t over_target = 0; // recoveries slower than the SLA of their kind
};

class recovery_store {
public:
  using clock = std::chrono::steady_clock;

  explicit recovery_store(size_t num_pools);

  // -- recoveries -------------------------------------------------------------
  void child_down(const std::string& supervisor, const std::string& child, clock::time_point at);
  // The recovery it completes, if the child's death was seen.
  std::optional<recovery_sample> child_up(const std::string& supervisor, const std::string& child,
                                          clock::time_point at, std::chrono::microseconds target);
  std::vector<recovery_summary> summaries() const;
  std::vector<recovery_sample> recent(size_t max) const;

  // -- pool health ------------------------------------------------------------
  // Records a pool crash; true when it made the pool unhealthy.
  bool pool_crashed(size_t pool, clock::time_point at, uint32_t max_crashes,
                    std::chrono::milliseconds window);
  // Readmits unhealthy pools without a crash for `stable_after`; returns them.
  std::vector<size_t> readmit_stable(clock::time_point now, std::chrono::milliseconds stable_after);
  std::set<size_t> unhealthy_pools() const;
  bool is_unhealthy(size_t pool) const;
  size_t num_pools() const noexcept { return num_pools_; }

private:
  using key = std::pair<std::string, std::string>;
  mutable std::mutex mtx_;
  size_t num_pools_;
  std::map<key, clock::time_point> down_since_;
  std::map<key, recovery_summary> summaries_;
  std::deque<recovery_sample> recent_;
  std::vector<std::deque<clock::time_point>> pool_crashes_;
  std::set<size_t> unhealthy_;
};

} // namespace cafmcp::core
