#include "cafmcp/registry/pool_selector.hpp"

#include "cafmcp/registry/registry_error.hpp"
#include "cafmcp/registry/stable_hash.hpp"

namespace cafmcp::registry {

namespace {

// Salt for the fallback scores, so that they are independent of the home-pool hash.
constexpr std::uint64_t fallback_salt = 0x9e3779b97f4a7c15ull;

} // namespace

pool_selector::pool_selector(std::size_t num_pools) : unhealthy_(num_pools, false) {
  // nop
}

caf::error pool_selector::mark_unhealthy(std::size_t pool) {
  if (pool >= num_pools())
    return caf::make_error(registry_errc::invalid_argument, "pool out of range");
  if (!unhealthy_[pool]) {
    unhealthy_[pool] = true;
    ++unhealthy_count_;
  }
  return caf::none;
}

caf::error pool_selector::mark_healthy(std::size_t pool) {
  if (pool >= num_pools())
    return caf::make_error(registry_errc::invalid_argument, "pool out of range");
  if (unhealthy_[pool]) {
    unhealthy_[pool] = false;
    --unhealthy_count_;
  }
  return caf::none;
}

bool pool_selector::is_healthy(std::size_t pool) const noexcept {
  return pool < num_pools() && !unhealthy_[pool];
}

std::size_t pool_selector::home_pool(std::string_view id, std::size_t num_pools) noexcept {
  return num_pools == 0 ? 0 : static_cast<std::size_t>(stable_hash(id) % num_pools);
}

caf::expected<std::size_t> pool_selector::select(std::string_view id) const {
  if (healthy_count() == 0)
    return caf::make_error(registry_errc::no_healthy_pool);
  auto home = home_pool(id, num_pools());
  if (!unhealthy_[home])
    return home;
  // Rendezvous among the healthy pools. The FNV part is computed once; each pool only costs a
  // mix, so this stays cheap for any realistic pool count.
  auto base = fnv1a_64(id);
  std::size_t best = home;
  std::uint64_t best_score = 0;
  bool found = false;
  for (std::size_t pool = 0; pool < num_pools(); ++pool) {
    if (unhealthy_[pool])
      continue;
    auto score = mix64(base ^ mix64(fallback_salt + pool));
    if (!found || score > best_score) {
      best = pool;
      best_score = score;
      found = true;
    }
  }
  return best;
}

} // namespace cafmcp::registry
