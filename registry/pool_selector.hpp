// Chooses the pool for a new connection/session id (DESIGN.md §3): a stable hash of the id modulo
// the number of pools, skipping pools the recovery manager has marked unhealthy.
//
// Skipping rule: an id whose home pool (hash % N) is healthy always goes there. When the home pool
// is unhealthy the id goes to the healthy pool with the highest per-pool score derived from the
// id (rendezvous hashing). Compared with "probe to the next pool", this spreads the displaced ids
// evenly over all healthy pools instead of doubling the load of the neighbour, it is still
// deterministic, and ids whose home pool is healthy never move. When the pool is readmitted its
// ids go home again.
//
// A pool_selector is a plain value: not thread-safe; the one actor that assigns pools owns it.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace cafmcp::registry {

class pool_selector {
public:
  explicit pool_selector(std::size_t num_pools);

  std::size_t num_pools() const noexcept { return unhealthy_.size(); }

  // invalid_argument when `pool` is out of range; marking twice is harmless.
  caf::error mark_unhealthy(std::size_t pool);
  caf::error mark_healthy(std::size_t pool);

  bool is_healthy(std::size_t pool) const noexcept;
  std::size_t healthy_count() const noexcept { return num_pools() - unhealthy_count_; }

  // The pool for `id`, or no_healthy_pool when there is none (also when num_pools is 0).
  caf::expected<std::size_t> select(std::string_view id) const;

  // The pool `id` belongs to when every pool is healthy: stable_hash(id) % num_pools.
  static std::size_t home_pool(std::string_view id, std::size_t num_pools) noexcept;

private:
  std::vector<bool> unhealthy_;
  std::size_t unhealthy_count_ = 0;
};

} // namespace cafmcp::registry
