#pragma once
// The whole node: the supervision tree of DESIGN.md §2 built from the
// configuration, with the state each domain must keep across its own crash
// owned here, one level above the actors that use it (the ETS "heir" idea).
//
//   cafmcp_sup            one_for_one   its children are independent domains
//   ├── core_sup          one_for_all   health_monitor, recovery_manager, registry
//   ├── monitoring_sup    rest_for_one  metrics, dashboard, simple_monitor
//   ├── config_sup        one_for_one   session_manager, task_manager, resource_subscriptions,
//   │                                   sse_event_store, icon_cache
//   ├── connection_pool_sup one_for_one session_broker, pool_0 .. pool_{N-1}
//   │   └── pool_i        simple_one_for_one   temporary per-session MCP servers
//   └── transport_sup     one_for_one   one listener per enabled transport

#include <functional>
#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/core/health_monitor.hpp"
#include "cafmcp/actors/core/recovery_store.hpp"
#include "cafmcp/actors/mcp/server_config.hpp"
#include "cafmcp/actors/monitoring/alert_store.hpp"
#include "cafmcp/actors/monitoring/dashboard.hpp"
#include "cafmcp/actors/services/icon_store.hpp"
#include "cafmcp/actors/services/metrics_live.hpp"
#include "cafmcp/actors/services/metrics_store.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/services/session_store.hpp"
#include "cafmcp/actors/services/sse_event_log.hpp"
#include "cafmcp/actors/services/subscription_store.hpp"
#include "cafmcp/actors/services/task_store.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/app/config/node_config.hpp"
#include "cafmcp/registry/registry_ref.hpp"
#include "cafmcp/registry/registry_table.hpp"
#include "cafmcp/transports/io_runner.hpp"
#include "cafmcp/transports/transport.hpp"

namespace cafmcp::app {

// Everything that outlives the actors using it.
struct node_state {
  std::shared_ptr<registry::registry_table> routes;
  std::shared_ptr<registry::registry_ref> registry = std::make_shared<registry::registry_ref>();
  std::shared_ptr<core::recovery_store> recoveries;
  std::shared_ptr<core::health_store> health = std::make_shared<core::health_store>();
  std::shared_ptr<monitoring::alert_store> alerts = std::make_shared<monitoring::alert_store>();
  std::shared_ptr<monitoring::dashboard_store> dashboard =
      std::make_shared<monitoring::dashboard_store>();
  std::shared_ptr<services::metrics_store> metrics;
  // Hot-path counters (requests, sessions per transport, SSE streams), installed as the
  // process's live sink while the node runs (metrics_live.hpp).
  std::shared_ptr<services::live_metrics> live = std::make_shared<services::live_metrics>();
  std::shared_ptr<services::session_store> sessions;
  std::shared_ptr<services::task_store> tasks;
  std::shared_ptr<services::subscription_store> subscriptions;
  std::shared_ptr<services::sse_event_log> sse_events;
  std::shared_ptr<services::icon_store> icons;
  // Where callers find the current incarnation of each service.
  std::shared_ptr<services::service_ref> session_manager =
      std::make_shared<services::service_ref>();
  std::shared_ptr<services::service_ref> task_manager = std::make_shared<services::service_ref>();
  std::shared_ptr<services::service_ref> resource_subscriptions =
      std::make_shared<services::service_ref>();
  std::shared_ptr<services::service_ref> sse_event_store =
      std::make_shared<services::service_ref>();
  std::shared_ptr<services::service_ref> icon_cache = std::make_shared<services::service_ref>();
  std::shared_ptr<services::service_ref> metrics_service =
      std::make_shared<services::service_ref>();
  // The MCP features (tools, resources, prompts) every session of the node serves.
  std::shared_ptr<mcp::server_config> server;
};

node_state make_node_state(const node_config& cfg, std::shared_ptr<mcp::server_config> server);

// The root supervisor's configuration: the whole tree.
// `listeners` are the transports that transport_sup runs, one listener each.
supervision::supervisor_config
node_tree(const node_config& cfg, node_state& state,
          const std::vector<std::shared_ptr<transports::transport>>& listeners = {});

// Lets an actor system render every error category of the node by name.
void add_error_categories(caf::actor_system_config& cfg);

// Name of the root in CAF's actor registry (health_monitor and tools find it there).
inline constexpr const char root_registry_name[] = "cafmcp_sup";

class node {
public:
  node(caf::actor_system& sys, node_config cfg,
       std::shared_ptr<mcp::server_config> server = nullptr);
  ~node();

  // Starts the whole tree (like start_link: every domain runs, or the error),
  // with a listener for every enabled transport.
  caf::error start();
  // --stdio: serves one MCP session on stdin/stdout; the actor ends at EOF.
  // `on_closed` runs (on an io thread) once stdin and stdout are closed and
  // the last answer was written.
  caf::actor start_stdio(std::function<void()> on_closed = {});
  // One line per listener, e.g. "http 127.0.0.1:8080/mcp".
  std::vector<std::string> listening() const;
  // Stops it in reverse start order; returns the root's exit reason.
  caf::error stop();
  // Connections still alive when stop() gave up waiting for them (0 unless
  // something held one past its close; see io_runner::stop).
  std::size_t connections_left_at_stop() const noexcept { return connections_left_; }

  const caf::actor& root() const noexcept { return root_; }
  // The current session broker (transports and in-process clients open sessions there).
  caf::actor broker() const;
  node_state& state() noexcept { return state_; }
  const node_config& config() const noexcept { return cfg_; }

private:
  caf::actor_system& sys_;
  node_config cfg_;
  node_state state_;
  // Declared after nothing that outlives it: stopped before the tree ends, so
  // connections (and the actor handles they hold) go first.
  std::unique_ptr<transports::io_runner> io_;
  std::vector<std::shared_ptr<transports::transport>> transports_;
  caf::actor root_;
  std::size_t connections_left_ = 0;
};

} // namespace cafmcp::app
