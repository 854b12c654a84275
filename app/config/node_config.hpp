// The node's configuration as plain data, with the built-in defaults.
//
// Every default lives here, in the member initializers, and nowhere else: the
// JSON file and the command line only overlay values on a default-constructed
// node_config. The JSON spelling of each field (and its bounds) is in
// config_fields.hpp; docs/configuration.md explains every key.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cafmcp::app {

using std::chrono::milliseconds;

/// OTP restart strategies (otp-supervisor.md). simple_one_for_one is only
/// used by the pool supervisors and cannot be configured.
enum class restart_strategy { one_for_one, one_for_all, rest_for_one, simple_one_for_one };

/// What the node serves besides the runtime: `standard` is spelled "default"
/// in JSON and on the command line (`default` is a C++ keyword).
enum class node_profile { standard, conformance, loadtest };

enum class log_level { trace, debug, info, warning, error, off };

/// A name as written in JSON and on the command line, and the value it means.
template <class Enum>
struct enum_name {
  std::string_view name;
  Enum value;
};

/// The strategies a config file may choose for a supervisor level.
inline constexpr std::array<enum_name<restart_strategy>, 3> configurable_strategies{{
    {"one_for_one", restart_strategy::one_for_one},
    {"one_for_all", restart_strategy::one_for_all},
    {"rest_for_one", restart_strategy::rest_for_one},
}};

inline constexpr std::array<enum_name<node_profile>, 3> profile_names{{
    {"default", node_profile::standard},
    {"conformance", node_profile::conformance},
    {"loadtest", node_profile::loadtest},
}};

inline constexpr std::array<enum_name<log_level>, 6> log_level_names{{
    {"trace", log_level::trace},
    {"debug", log_level::debug},
    {"info", log_level::info},
    {"warning", log_level::warning},
    {"error", log_level::error},
    {"off", log_level::off},
}};

std::string_view to_string(restart_strategy x);
std::string_view to_string(node_profile x);
std::string_view to_string(log_level x);

/// Looks a name up in one of the tables above.
template <class Enum, std::size_t N>
std::optional<Enum> enum_from_name(const std::array<enum_name<Enum>, N>& names,
                                   std::string_view name) {
  for (const auto& entry : names)
    if (entry.name == name)
      return entry.value;
  return std::nullopt;
}

/// The flags of one supervisor: its strategy and its restart budget (more
/// than `intensity` restarts within `period` makes the supervisor give up and
/// exit, so its own parent decides).
struct supervisor_level {
  restart_strategy strategy = restart_strategy::one_for_one;
  std::uint32_t intensity = 1;
  milliseconds period{5000};
};

/// Strategies per DESIGN.md §2. The budgets grow towards the leaves: a leaf
/// supervisor may absorb a burst of crashes, the root should rarely restart.
struct supervision_config {
  std::uint32_t num_pools = 10;
  std::uint32_t servers_per_pool = 1500;
  supervisor_level root{restart_strategy::one_for_one, 3, milliseconds{10000}};
  supervisor_level core{restart_strategy::one_for_all, 5, milliseconds{10000}};
  supervisor_level monitoring{restart_strategy::rest_for_one, 10, milliseconds{10000}};
  supervisor_level config{restart_strategy::one_for_one, 10, milliseconds{10000}};
  // Its budget is erlmcp's pool_restart_intensity/pool_restart_period (5 in
  // 60 s): it is the supervisor that restarts pools.
  supervisor_level connection_pool{restart_strategy::one_for_one, 5, milliseconds{60000}};
  // Its children are temporary and never restarted, so the budget only
  // matters if the supervision library counts something else; the strategy
  // is fixed.
  supervisor_level pool{restart_strategy::simple_one_for_one, 5, milliseconds{10000}};
  supervisor_level transport{restart_strategy::one_for_one, 5, milliseconds{10000}};
};

/// Recovery-time targets (the SLAs of DESIGN.md §4). recovery_manager measures
/// each recovery against them and reports the ones that take longer.
struct recovery_config {
  milliseconds server_restart_timeout{100};
  milliseconds pool_restart_timeout{500};
  milliseconds service_restart_timeout{1000};
};

/// When recovery_manager stops trusting a part of the node.
struct failure_config {
  std::uint32_t pool_max_consecutive_crashes = 3;
  milliseconds pool_crash_window{60000};
  std::uint32_t service_max_consecutive_crashes = 3;
  std::uint32_t registry_recovery_attempts = 3;
};

struct registry_config {
  std::uint32_t shards = 16;
};

struct health_config {
  milliseconds check_interval{1000};
  milliseconds check_timeout{500};
};

struct http_transport_config {
  bool enabled = true;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string path = "/mcp";
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_hosts;
};

struct sse_transport_config {
  bool enabled = false;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8081;
};

struct ws_transport_config {
  bool enabled = false;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8082;
  std::string path = "/ws";
};

struct tcp_transport_config {
  bool enabled = false;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8083;
};

/// Both empty means no TLS; validation requires both or neither.
struct tls_config {
  std::string cert_file;
  std::string key_file;
  bool enabled() const { return !cert_file.empty(); }
};

struct transports_config {
  bool stdio = false;
  http_transport_config http;
  sse_transport_config sse;
  ws_transport_config ws;
  tcp_transport_config tcp;
  tls_config tls;
};

/// The admin endpoint can kill actors, so it only ever listens on loopback.
struct admin_config {
  bool enabled = true;
  std::string host = "127.0.0.1";
  std::uint16_t port = 9090;
  std::string token; // empty: the node generates one at start and prints it
  // /metrics and /health* without a token by default: Prometheus and load balancers
  // usually send none, and the listener is loopback only.
  bool metrics_require_token = false;
};

/// simple_monitor's alerts (DESIGN.md §5) and their thresholds.
struct alerts_config {
  milliseconds interval{1000};
  std::uint32_t max_pool_restarts_per_minute = 1;
  milliseconds max_registry_recovery{500};
  milliseconds cascade_window{2000};
  std::uint32_t min_availability_basis_points = 9900; // 99.00 %
  milliseconds availability_window{60000};
  std::uint32_t availability_min_requests = 100;
};

struct limits_config {
  std::uint64_t max_message_bytes = 4 * 1024 * 1024;
  std::uint32_t max_connections_per_transport = 15000;
  milliseconds idle_timeout{300000};
  milliseconds header_timeout{10000};
  milliseconds read_timeout{30000};
  std::uint32_t outbound_queue_max_messages = 1024;
  std::uint64_t outbound_queue_max_bytes = 16 * 1024 * 1024;
  std::uint32_t max_sessions = 15000;
};

struct sessions_config {
  milliseconds ttl{1800000};
};

struct tasks_config {
  milliseconds default_ttl{3600000};
  std::uint32_t max_per_session = 100;
};

/// The SSE event store (resumability), not the SSE listener.
struct sse_config {
  std::uint32_t event_store_max_events_per_stream = 1000;
  milliseconds retry{3000};
};

struct logging_config {
  log_level level = log_level::info;
};

struct node_config {
  node_profile profile = node_profile::standard;
  supervision_config supervision;
  recovery_config recovery;
  failure_config failure;
  registry_config registry;
  health_config health;
  transports_config transports;
  admin_config admin;
  alerts_config alerts;
  limits_config limits;
  sessions_config sessions;
  tasks_config tasks;
  sse_config sse;
  logging_config logging;
};

} // namespace cafmcp::app
