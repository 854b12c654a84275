#include "cafmcp/app/node/node.hpp"

#include "cafmcp/app/node/conformance_profile.hpp"

#include <caf/all.hpp>

#include "cafmcp/actors/core/recovery_manager.hpp"
#include "cafmcp/actors/mcp/icon_port.hpp"
#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/mcp/mcp_server.hpp"
#include "cafmcp/actors/mcp/task_backend.hpp"
#include "cafmcp/actors/monitoring/availability_window.hpp"
#include "cafmcp/actors/monitoring/simple_monitor.hpp"
#include "cafmcp/actors/pool/connection_pools.hpp"
#include "cafmcp/actors/pool/pool_error.hpp"
#include "cafmcp/actors/services/icon_cache.hpp"
#include "cafmcp/actors/services/metrics.hpp"
#include "cafmcp/actors/services/resource_subscriptions.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/session_manager.hpp"
#include "cafmcp/actors/services/sse_event_store.hpp"
#include "cafmcp/actors/services/task_manager.hpp"
#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/registry/registry_actor.hpp"
#include "cafmcp/registry/registry_error.hpp"

namespace cafmcp::app {

namespace sup = cafmcp::supervision;

namespace {

sup::strategy strategy_of(restart_strategy s) {
  switch (s) {
  case restart_strategy::one_for_all:
    return sup::strategy::one_for_all;
  case restart_strategy::rest_for_one:
    return sup::strategy::rest_for_one;
  case restart_strategy::simple_one_for_one:
    return sup::strategy::simple_one_for_one;
  case restart_strategy::one_for_one:
    break;
  }
  return sup::strategy::one_for_one;
}

sup::supervisor_flags flags_of(const supervisor_level& level) {
  sup::supervisor_flags f;
  f.strategy = strategy_of(level.strategy);
  f.intensity = static_cast<int>(level.intensity);
  f.period = level.period;
  return f;
}

sup::supervisor_config domain(std::string name, const supervisor_level& level,
                              std::vector<sup::child_spec> children) {
  sup::supervisor_config c;
  c.name = std::move(name);
  c.flags = flags_of(level);
  c.children = std::move(children);
  return c;
}

sup::child_spec registry_spec(std::shared_ptr<registry::registry_table> table,
                              std::shared_ptr<registry::registry_ref> ref) {
  sup::child_spec spec;
  spec.id = "registry";
  spec.start = [table, ref](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(registry::registry_actor, table, ref)};
  };
  return spec;
}

sup::supervisor_config core_domain(const node_config& cfg, node_state& st) {
  core::health_settings health;
  health.interval = cfg.health.check_interval;
  health.timeout = cfg.health.check_timeout;
  health.root_name = caf::atom(root_registry_name);
  core::recovery_settings recovery;
  recovery.pool_target = cfg.recovery.pool_restart_timeout;
  recovery.service_target = cfg.recovery.service_restart_timeout;
  recovery.pool_max_consecutive_crashes = cfg.failure.pool_max_consecutive_crashes;
  recovery.pool_crash_window = cfg.failure.pool_crash_window;
  return domain("core_sup", cfg.supervision.core,
                {core::health_monitor_spec(st.health, health),
                 core::recovery_manager_spec(st.recoveries, recovery),
                 registry_spec(st.routes, st.registry)});
}

sup::supervisor_config monitoring_domain(const node_config& cfg, node_state& st) {
  services::metrics_settings metrics;
  metrics.ref = st.metrics_service;
  monitoring::monitor_settings monitor;
  auto& alerts = cfg.alerts;
  monitor.interval = alerts.interval;
  monitor.max_pool_restarts_per_min = alerts.max_pool_restarts_per_minute;
  monitor.max_registry_recovery = alerts.max_registry_recovery;
  monitor.cascade_window = alerts.cascade_window;
  monitor.min_availability = alerts.min_availability_basis_points / 10000.0;
  auto live = st.live;
  auto window = std::make_shared<monitoring::availability_window>(
      [live] {
        using services::request_outcome;
        auto failed = live->requests(request_outcome::failed);
        return std::make_pair(live->requests(request_outcome::ok) +
                                  live->requests(request_outcome::error) + failed,
                              failed);
      },
      alerts.availability_window, alerts.availability_min_requests);
  monitor.availability = [window] { return (*window)(); };
  for (size_t i = 0; i < cfg.supervision.num_pools; ++i)
    monitor.domain_of["pool_" + std::to_string(i)] = "connection_pool_sup";
  monitoring::dashboard_sources views{st.health, st.recoveries, st.alerts};
  return domain("monitoring_sup", cfg.supervision.monitoring,
                {services::metrics_spec(st.metrics, metrics),
                 monitoring::dashboard_spec(st.dashboard, views, std::chrono::milliseconds{500}),
                 monitoring::simple_monitor_spec(st.alerts, st.recoveries, monitor)});
}

sup::supervisor_config config_domain(const node_config& cfg, node_state& st) {
  services::session_settings sessions;
  sessions.ttl = cfg.sessions.ttl;
  sessions.max_sessions = cfg.limits.max_sessions;
  sessions.ref = st.session_manager;
  services::task_settings tasks;
  tasks.limits.default_ttl_ms = cfg.tasks.default_ttl.count();
  tasks.limits.max_active_per_owner = cfg.tasks.max_per_session;
  tasks.ref = st.task_manager;
  services::resource_settings resources;
  resources.ref = st.resource_subscriptions;
  services::sse_store_settings sse;
  sse.limits.max_events_per_stream = cfg.sse.event_store_max_events_per_stream;
  sse.ref = st.sse_event_store;
  services::icon_settings icons;
  icons.ref = st.icon_cache;
  return domain("config_sup", cfg.supervision.config,
                {services::session_manager_spec(st.sessions, sessions),
                 services::task_manager_spec(st.tasks, tasks),
                 services::resource_subscriptions_spec(st.subscriptions, resources),
                 services::sse_event_store_spec(st.sse_events, sse),
                 services::icon_cache_spec(st.icons, icons)});
}

sup::supervisor_config pool_domain(const node_config& cfg, node_state& st) {
  pool::pool_settings settings;
  settings.num_pools = cfg.supervision.num_pools;
  settings.servers_per_pool = cfg.supervision.servers_per_pool;
  settings.flags = flags_of(cfg.supervision.connection_pool);
  settings.pool_intensity = static_cast<int>(cfg.supervision.pool.intensity);
  settings.pool_period = cfg.supervision.pool.period;
  pool::broker_wiring wiring;
  auto server = st.server;
  wiring.make_server = [server](caf::local_actor* pool, const caf::actor& sink,
                                const std::string& session_id,
                                mcp::transport_kind kind) -> caf::expected<caf::actor> {
    return pool->spawn(mcp::mcp_server, mcp::server_args{server, sink, session_id, kind});
  };
  wiring.routes = st.routes;
  wiring.registry = st.registry;
  wiring.health = st.recoveries;
  wiring.sessions = st.session_manager;
  wiring.metrics = st.metrics_service;
  return pool::connection_pool_config(settings, wiring);
}

} // namespace

void add_error_categories(caf::actor_system_config& cfg) {
  sup::add_error_category(cfg);
  registry::add_registry_error_category(cfg);
  services::add_services_error_category(cfg);
  mcp::add_error_category(cfg);
  pool::add_error_category(cfg);
}

node_state make_node_state(const node_config& cfg, std::shared_ptr<mcp::server_config> server) {
  node_state st;
  st.routes = std::make_shared<registry::registry_table>(cfg.registry.shards);
  st.recoveries = std::make_shared<core::recovery_store>(cfg.supervision.num_pools);
  st.metrics = std::make_shared<services::metrics_store>();
  st.sessions = std::make_shared<services::session_store>();
  st.tasks = std::make_shared<services::task_store>();
  st.subscriptions = std::make_shared<services::subscription_store>();
  st.sse_events = std::make_shared<services::sse_event_log>();
  st.icons = std::make_shared<services::icon_store>();
  st.server = server ? std::move(server) : std::make_shared<mcp::server_config>();
  // The sessions' use of the node's services (actors/mcp/README.md, "Node
  // wiring"): tasks run through the task_manager unless the embedder chose a
  // backend, and every registered icon list is kept in the icon_cache.
  if (!st.server->tasks)
    st.server->tasks = std::make_shared<mcp::task_backend>(st.task_manager);
  auto icons = std::make_shared<mcp::icon_port>(st.icon_cache, st.icons);
  icons->put("implementation", st.server->info.icons);
  st.server->features->use_icon_cache(std::move(icons));
  return st;
}

namespace {

transports::transport_limits limits_of(const node_config& cfg) {
  transports::transport_limits l;
  l.max_message_bytes = cfg.limits.max_message_bytes;
  l.max_connections = cfg.limits.max_connections_per_transport;
  l.idle_timeout = cfg.limits.idle_timeout;
  l.header_timeout = cfg.limits.header_timeout;
  l.read_timeout = cfg.limits.read_timeout;
  l.outbound_queue_max_messages = cfg.limits.outbound_queue_max_messages;
  l.outbound_queue_max_bytes = cfg.limits.outbound_queue_max_bytes;
  return l;
}

// One listener config per enabled transport (transports/README.md, "Mapping node_config").
std::vector<transports::listener_config> listeners_of(const node_config& cfg,
                                                      const node_state& st) {
  std::vector<transports::listener_config> out;
  auto base = [&](std::string name, transports::listener_kind kind, const std::string& host,
                  uint16_t port) {
    transports::listener_config l;
    l.name = std::move(name);
    l.kind = kind;
    l.host = host;
    l.port = port;
    l.limits = limits_of(cfg);
    l.sse_retry = cfg.sse.retry;
    l.event_store_max_events_per_stream = cfg.sse.event_store_max_events_per_stream;
    l.origins.allowed_hosts = cfg.transports.http.allowed_hosts;
    l.origins.allowed_origins = cfg.transports.http.allowed_origins;
    l.routes.streamable = false;
    return l;
  };
  auto& t = cfg.transports;
  if (t.http.enabled) {
    auto l = base("http", transports::listener_kind::http, t.http.host, t.http.port);
    l.routes.streamable = true;
    l.routes.mcp_path = t.http.path;
    l.tls = {t.tls.cert_file, t.tls.key_file};
    // Resumability through config_sup's sse_event_store (its log outlives it).
    l.event_store = [ref = st.sse_event_store] { return ref->get(); };
    if (cfg.profile == node_profile::conformance)
      l.sse_poll_after = conformance_poll_after;
    out.push_back(std::move(l));
  }
  if (t.sse.enabled) {
    auto l = base("sse", transports::listener_kind::http, t.sse.host, t.sse.port);
    l.routes.legacy_sse = true;
    out.push_back(std::move(l));
  }
  if (t.ws.enabled) {
    auto l = base("ws", transports::listener_kind::http, t.ws.host, t.ws.port);
    l.routes.websocket = true;
    l.routes.ws_path = t.ws.path;
    l.tls = {t.tls.cert_file, t.tls.key_file};
    out.push_back(std::move(l));
  }
  if (t.tcp.enabled)
    out.push_back(base("tcp", transports::listener_kind::tcp, t.tcp.host, t.tcp.port));
  return out;
}

sup::child_spec listener_spec(std::shared_ptr<transports::transport> t) {
  sup::child_spec spec;
  spec.id = t->config().name;
  spec.start = [t](sup::start_context&) -> caf::expected<sup::start_result> {
    auto l = t->spawn_listener();
    if (!l)
      return l.error();
    return sup::start_result{*l};
  };
  return spec;
}

} // namespace

sup::supervisor_config
node_tree(const node_config& cfg, node_state& st,
          const std::vector<std::shared_ptr<transports::transport>>& listeners) {
  std::vector<sup::child_spec> transport_children;
  for (auto& t : listeners)
    transport_children.push_back(listener_spec(t));
  // Start order is shutdown order reversed: routing and health first, the
  // transports last, so that no connection arrives before it can be served
  // and the listeners close before anything they need goes away.
  return domain(
      "cafmcp_sup", cfg.supervision.root,
      {sup::supervisor_child("core_sup", core_domain(cfg, st)),
       sup::supervisor_child("monitoring_sup", monitoring_domain(cfg, st)),
       sup::supervisor_child("config_sup", config_domain(cfg, st)),
       sup::supervisor_child("connection_pool_sup", pool_domain(cfg, st)),
       sup::supervisor_child("transport_sup", domain("transport_sup", cfg.supervision.transport,
                                                     std::move(transport_children)))});
}

node::node(caf::actor_system& sys, node_config cfg, std::shared_ptr<mcp::server_config> server)
    : sys_(sys), cfg_(std::move(cfg)), state_(make_node_state(cfg_, std::move(server))) {}

node::~node() {
  if (root_)
    stop();
}

caf::error node::start() {
  io_ = std::make_unique<transports::io_runner>(transports::split_threads().io_threads);
  io_->start();
  auto& sys = sys_;
  transports::broker_ref broker = [&sys] {
    return caf::actor_cast<caf::actor>(sys.registry().get(caf::atom(pool::broker_registry_name)));
  };
  for (auto& l : listeners_of(cfg_, state_)) {
    auto t = transports::transport::make(sys_, *io_, broker, l);
    if (!t)
      return t.error();
    transports_.push_back(*t);
  }
  services::live_metrics::install(state_.live);
  auto root = sup::start_supervisor(sys_, node_tree(cfg_, state_, transports_));
  if (!root)
    return root.error();
  root_ = *root;
  sys_.registry().put(caf::atom(root_registry_name), caf::actor_cast<caf::strong_actor_ptr>(root_));
  return {};
}

caf::error node::stop() {
  if (!root_)
    return {};
  sys_.registry().erase(caf::atom(root_registry_name));
  // transports/README.md: the connections close and the io threads stop
  // first, then the tree ends.
  if (io_)
    connections_left_ = io_->stop();
  auto reason = sup::stop_supervisor(sys_, root_);
  root_ = caf::actor{};
  if (services::live_metrics::sink() == state_.live.get())
    services::live_metrics::install(nullptr);
  // Routes hold strong handles to servers that no longer exist.
  state_.routes->clear();
  return reason == caf::exit_reason::user_shutdown ? caf::error{} : reason;
}

caf::actor node::start_stdio(std::function<void()> on_closed) {
  auto& sys = sys_;
  transports::broker_ref broker = [&sys] {
    return caf::actor_cast<caf::actor>(sys.registry().get(caf::atom(pool::broker_registry_name)));
  };
  return transports::start_stdio(sys_, *io_, broker, limits_of(cfg_), 0, 1, std::move(on_closed));
}

std::vector<std::string> node::listening() const {
  std::vector<std::string> out;
  for (auto& t : transports_)
    out.push_back(t->describe());
  return out;
}

caf::actor node::broker() const {
  return caf::actor_cast<caf::actor>(sys_.registry().get(caf::atom(pool::broker_registry_name)));
}

} // namespace cafmcp::app
