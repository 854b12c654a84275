#pragma once
// The failure domains the chaos runner kills, and the recovery time each one
// promises (the SLAs of the original design).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cafmcp::chaos {

enum class domain_kind {
  server,         // one session's MCP server actor
  pool,           // one server_pool_sup and every session in it
  config_service, // session_manager, task_manager, resource_subscriptions, sse_event_store,
                  // icon_cache
  monitoring,     // metrics, dashboard, simple_monitor
  registry,       // the sharded registry (core_sup restarts all of core)
  node,           // the whole process: kill -9 and a restart
};

std::string_view to_string(domain_kind x);
std::optional<domain_kind> domain_from_string(std::string_view x);

// Kill → replacement running, at most.
std::chrono::milliseconds sla_of(domain_kind x);

// One actor (or the node) to kill. For servers the name is only "session":
// the runner picks a live session when the injection happens.
struct victim {
  std::string name; // tree id as the admin endpoint takes it: "pool_3", "registry", ...
  domain_kind domain = domain_kind::pool;
};

// "pool_3" -> 3; nullopt for anything else.
std::optional<std::size_t> pool_index_of(std::string_view name);

} // namespace cafmcp::chaos
