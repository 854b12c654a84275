#pragma once
// The chaos report: a table for people, JSON for machines.

#include <iosfwd>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cafmcp/chaos/results.hpp"

namespace cafmcp::chaos {

nlohmann::json to_json(const scenario_result& r);
nlohmann::json to_json(const std::vector<scenario_result>& all);

// Per scenario: its injections with their recovery times, then every check
// marked PASS or FAIL.
void print_summary(std::ostream& out, const scenario_result& r);

} // namespace cafmcp::chaos
