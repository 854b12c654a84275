#pragma once
// The catalogue of chaos scenarios: what each one kills and when. A scenario
// only plans; the runner injects the plan into live load and measures.
//
// Plans are deterministic for a given seed, so a failing run can be replayed
// with --seed.

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "cafmcp/chaos/domain.hpp"

namespace cafmcp::chaos {

// Victims killed at the same instant, `at` after the chaos phase began.
struct injection {
  std::chrono::milliseconds at{0};
  std::vector<victim> victims;
};

struct plan_context {
  std::size_t num_pools = 10;
  std::chrono::milliseconds duration{10000}; // for open-ended scenarios (extended injection)
  double kills_per_second = 2.0;             // for extended injection
  std::mt19937_64* rng = nullptr;
};

struct scenario {
  std::string name;
  std::string description;
  std::function<std::vector<injection>(plan_context&)> plan;
};

const std::vector<scenario>& catalogue();

// nullptr when there is no scenario of that name.
const scenario* find_scenario(const std::string& name);

// The config and monitoring services by tree id, in start order.
const std::vector<std::string>& config_services();
const std::vector<std::string>& monitoring_services();

} // namespace cafmcp::chaos
