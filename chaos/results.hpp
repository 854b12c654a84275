#pragma once
// The measured outcome of a chaos run, as the report prints it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cafmcp/chaos/domain.hpp"
#include "cafmcp/chaos/stats.hpp"
#include "cafmcp/chaos/tree_events.hpp"

namespace cafmcp::chaos {

// One killed actor and how long its way back took, in ms after the kill.
struct victim_result {
  victim who;                          // for servers: "session:<id>"
  std::optional<std::size_t> pool;     // the pool it was (or was in), when known
  std::string transport;               // for servers: the session's transport
  std::string kill_error;              // non-empty when the kill itself failed
  std::optional<double> running_ms;    // replacement running
  std::optional<double> registered_ms; // replacement re-registered (route / service ref)
  std::optional<double> serving_ms;    // first successful request through it
  // For the node, "registered" is full service: every load session has
  // re-initialized and had a call succeed.
  // The figure held against the SLA: running for supervised domains; serving
  // for servers, whose "replacement" is the client's new session; full
  // service for the node.
  std::optional<double> sla_figure_ms() const;
  bool within_sla() const;
};

struct injection_result {
  double at_ms = 0; // after the chaos phase began
  std::vector<victim_result> victims;
  // Sessions with a failed call from the kill until the domain served again
  // (plus a grace second), against the share of sessions the domain held.
  std::size_t sessions = 0;
  std::size_t affected = 0;
  double domain_share = 0;
  std::vector<tree_event> cascades;
  bool impact_within_share() const;
};

struct request_counts {
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  double success_rate() const;
};

struct sla_check {
  std::string name;
  std::string limit;
  std::string measured;
  bool pass = false;
};

struct scenario_result {
  std::string scenario;
  std::uint64_t seed = 0;
  std::size_t sessions = 0;
  double open_all_ms = 0; // time to open and initialize every load session
  double chaos_ms = 0;    // length of the chaos phase
  std::vector<injection_result> injections;
  request_counts overall, inside, outside;
  std::uint64_t failed_opens = 0;
  std::map<std::string, std::uint64_t> failures_by_kind; // "<transport> <kind>" -> calls
  double availability_measured = 0;
  double availability_model = 0;          // expected share served, from measured downtimes
  double availability_backup_formula = 0; // 1 - prod(1 - a_i): pools as backups (they are not)
  bool durability_checked = false;
  std::vector<std::string> lost_data;
  std::vector<sla_check> checks;
  bool pass() const;
};

} // namespace cafmcp::chaos
