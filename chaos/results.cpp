#include "cafmcp/chaos/results.hpp"

#include <cmath>

namespace cafmcp::chaos {

std::optional<double> victim_result::sla_figure_ms() const {
  switch (who.domain) {
  case domain_kind::server:
    return serving_ms;
  case domain_kind::node:
    return registered_ms;
  default:
    return running_ms;
  }
}

bool victim_result::within_sla() const {
  auto f = sla_figure_ms();
  return kill_error.empty() && f && *f < static_cast<double>(sla_of(who.domain).count());
}

bool injection_result::impact_within_share() const {
  // Rounding up the share, plus half a percent of the sessions (at least one):
  // a session that was re-initializing after an earlier kill may fail a call
  // inside this window without this domain being the cause.
  auto allowed = std::ceil(domain_share * static_cast<double>(sessions)) +
                 std::max(1.0, std::ceil(0.005 * static_cast<double>(sessions)));
  return static_cast<double>(affected) <= allowed;
}

double request_counts::success_rate() const {
  auto all = ok + failed;
  return all == 0 ? 1.0 : static_cast<double>(ok) / static_cast<double>(all);
}

bool scenario_result::pass() const {
  for (auto& c : checks)
    if (!c.pass)
      return false;
  return true;
}

} // namespace cafmcp::chaos
