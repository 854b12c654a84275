#include "cafmcp/app/chaos/in_process_target.hpp"

#include <thread>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "cafmcp/actors/mcp/load_fixtures.hpp"
#include "cafmcp/actors/monitoring/dashboard.hpp"
#include "cafmcp/actors/services/icon_messages.hpp"
#include "cafmcp/actors/services/metric_messages.hpp"
#include "cafmcp/actors/services/resource_messages.hpp"
#include "cafmcp/actors/services/session_messages.hpp"
#include "cafmcp/actors/services/sse_messages.hpp"
#include "cafmcp/actors/services/task_messages.hpp"
#include "cafmcp/app/node/live_tree.hpp"
#include "cafmcp/registry/registry_atoms.hpp"

namespace cafmcp::app {

namespace {

using chaos::domain_kind;
using chaos::steady;
namespace svc = cafmcp::services;

constexpr auto poll_every = std::chrono::microseconds{500};

// Polls `ready` until it holds or the deadline passes: the states read here
// (references, tables) publish no events of their own.
template <class F>
std::optional<steady::time_point> poll_until(steady::time_point deadline, F ready) {
  while (steady::now() < deadline) {
    if (ready())
      return steady::now();
    std::this_thread::sleep_for(poll_every);
  }
  return std::nullopt;
}

// One cheap request the service answers; what "serving" means for it.
bool probe(caf::actor_system& sys, const std::string& name, const caf::actor& service) {
  if (!service)
    return false;
  caf::scoped_actor self{sys};
  bool ok = false;
  auto on_error = [](caf::error&) {};
  auto limit = std::chrono::milliseconds{500};
  if (name == "session_manager")
    self->request(service, limit, svc::sm_count_atom::value)
        .receive([&](std::size_t) { ok = true; }, on_error);
  else if (name == "task_manager")
    self->request(service, limit, svc::tk_count_atom::value)
        .receive([&](std::size_t) { ok = true; }, on_error);
  else if (name == "resource_subscriptions")
    self->request(service, limit, svc::rs_count_atom::value)
        .receive([&](std::size_t) { ok = true; }, on_error);
  else if (name == "sse_event_store")
    self->request(service, limit, svc::es_stats_atom::value)
        .receive([&](svc::sse_stats&) { ok = true; }, on_error);
  else if (name == "icon_cache")
    self->request(service, limit, svc::ic_stats_atom::value)
        .receive([&](svc::icon_stats&) { ok = true; }, on_error);
  else if (name == "metrics")
    self->request(service, limit, svc::mx_snap_atom::value)
        .receive([&](svc::metrics_snapshot&) { ok = true; }, on_error);
  else if (name == "dashboard")
    self->request(service, limit, monitoring::db_get_atom::value)
        .receive([&](uint64_t, std::string&) { ok = true; }, on_error);
  else if (name == "registry")
    self->request(service, limit, registry::reg_count_atom::value)
        .receive([&](std::size_t) { ok = true; }, on_error);
  return ok;
}

} // namespace

node_config chaos_node_config(std::size_t num_pools, std::size_t max_sessions) {
  node_config cfg;
  cfg.supervision.num_pools = static_cast<uint32_t>(num_pools);
  // Room for every session in any pool: displaced sessions may crowd one.
  cfg.supervision.servers_per_pool = static_cast<uint32_t>(max_sessions + 100);
  cfg.limits.max_sessions = static_cast<uint32_t>(max_sessions * 2 + 100);
  cfg.limits.max_connections_per_transport = static_cast<uint32_t>(max_sessions * 2 + 100);
  // Chaos kills on purpose, and often: escalation is not what it measures.
  cfg.supervision.connection_pool.intensity = 1000;
  cfg.supervision.config.intensity = 1000;
  cfg.supervision.monitoring.intensity = 1000;
  cfg.supervision.core.intensity = 1000;
  cfg.supervision.root.intensity = 1000;
  cfg.transports.http.port = 0;
  cfg.transports.sse.enabled = true;
  cfg.transports.sse.port = 0;
  cfg.transports.ws.enabled = true;
  cfg.transports.ws.port = 0;
  cfg.transports.tcp.enabled = true;
  cfg.transports.tcp.port = 0;
  cfg.admin.enabled = false; // the runner kills through admin_handler directly
  return cfg;
}

std::shared_ptr<mcp::server_config> chaos_server_config() {
  auto server = std::make_shared<mcp::server_config>();
  if (auto added = mcp::load::register_fixtures(*server->features); !added)
    throw std::logic_error("the load fixtures do not register");
  return server;
}

in_process_target::in_process_target(caf::actor_system& sys, node_config cfg) : sys_(sys) {
  node_ = std::make_unique<node>(sys_, std::move(cfg), chaos_server_config());
}

in_process_target::~in_process_target() {
  durable_.reset();
  if (follower_)
    caf::anon_send_exit(follower_, caf::exit_reason::user_shutdown);
  node_->stop();
  // Known defect (see the README's chaos section): a transport session actor
  // may still hold its connection when the node destroys its io_context, and
  // the connection's destructor then touches the freed context. Until
  // transports release connections on stop, let the actors the stop ended
  // finish first: wait until the number of running actors holds still.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{3};
  auto last = sys_.registry().running();
  auto still_since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline &&
         std::chrono::steady_clock::now() - still_since < std::chrono::milliseconds{100}) {
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
    auto now = sys_.registry().running();
    if (now != last) {
      last = now;
      still_since = std::chrono::steady_clock::now();
    }
  }
  node_.reset();
}

caf::error in_process_target::start() {
  follower_ = chaos::follow_reports(sys_, events_);
  if (auto err = node_->start())
    return err;
  admin_ = std::make_unique<admin_handler>(sys_, *node_, "chaos");
  auto& st = node_->state();
  durable_ = std::make_unique<chaos::durable_probe>(
      sys_, chaos::durable_refs{st.task_manager, st.resource_subscriptions, st.sse_event_store});
  return caf::none;
}

std::string in_process_target::describe() const {
  std::string out = "in-process node:";
  for (auto& l : node_->listening())
    out += " " + l + ";";
  return out;
}

std::size_t in_process_target::num_pools() const {
  return node_->config().supervision.num_pools;
}

std::vector<chaos::endpoint> in_process_target::endpoints() const {
  std::vector<chaos::endpoint> out;
  for (auto& l : node_->listening())
    if (auto ep = chaos::endpoint_from_listener(l))
      out.push_back(*ep);
  return out;
}

std::optional<std::size_t> in_process_target::pool_of(const std::string& session_id) const {
  if (auto r = node_->state().routes->find(session_id))
    return r->pool;
  return std::nullopt;
}

std::shared_ptr<services::service_ref>
in_process_target::service_ref_of(const std::string& name) const {
  auto& st = node_->state();
  if (name == "session_manager")
    return st.session_manager;
  if (name == "task_manager")
    return st.task_manager;
  if (name == "resource_subscriptions")
    return st.resource_subscriptions;
  if (name == "sse_event_store")
    return st.sse_event_store;
  if (name == "icon_cache")
    return st.icon_cache;
  if (name == "metrics")
    return st.metrics_service;
  return nullptr;
}

caf::actor in_process_target::published(const chaos::victim& v) const {
  if (v.domain == domain_kind::registry)
    return node_->state().registry->get();
  if (auto ref = service_ref_of(v.name))
    return ref->get();
  if (v.domain == domain_kind::monitoring)
    return find_in_tree(sys_, node_->root(), v.name);
  return {};
}

caf::error in_process_target::kill(const chaos::victim& v) {
  if (v.domain == domain_kind::node)
    return caf::make_error(caf::sec::feature_disabled,
                           "an in-process node cannot be killed with -9: use the node target");
  {
    std::lock_guard<std::mutex> guard{mtx_};
    before_kill_[v.name] = published(v).address();
  }
  auto res = admin_->handle({"POST", "/kill?name=" + v.name + "&reason=kill", "Bearer chaos"});
  if (res.status != 200)
    return caf::make_error(caf::sec::runtime_error, "kill " + v.name + ": " + res.body);
  return caf::none;
}

std::optional<steady::time_point> in_process_target::await_running(const chaos::victim& v,
                                                                   steady::time_point since,
                                                                   steady::time_point deadline) {
  auto where = chaos::restarted_by(v);
  if (!where)
    return std::nullopt; // servers: measured from the load (the client re-initializes)
  return events_->await_started(where->first, where->second, since, deadline);
}

std::optional<steady::time_point> in_process_target::await_registered(const chaos::victim& v,
                                                                      steady::time_point since,
                                                                      steady::time_point deadline) {
  caf::actor_addr old;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    old = before_kill_[v.name];
  }
  switch (v.domain) {
  case domain_kind::registry:
  case domain_kind::config_service:
  case domain_kind::monitoring:
    if (v.domain == domain_kind::monitoring && !service_ref_of(v.name)) {
      // dashboard and simple_monitor are found through their supervisor:
      // registered as soon as they run.
      return await_running(v, since, deadline);
    }
    return poll_until(deadline, [&] {
      auto now = published(v);
      return now && now.address() != old;
    });
  default:
    return std::nullopt; // pools and servers: from the load's sessions
  }
}

std::optional<steady::time_point> in_process_target::await_serving(const chaos::victim& v,
                                                                   steady::time_point since,
                                                                   steady::time_point deadline) {
  switch (v.domain) {
  case domain_kind::registry:
  case domain_kind::config_service:
  case domain_kind::monitoring: {
    if (v.name == "simple_monitor")
      return await_running(v, since, deadline); // it answers no requests
    caf::actor_addr old;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      old = before_kill_[v.name];
    }
    return poll_until(deadline, [&] {
      auto now = published(v);
      return now && now.address() != old && probe(sys_, v.name, now);
    });
  }
  default:
    return std::nullopt; // pools and servers: from the load's sessions
  }
}

caf::error in_process_target::write_durable(const std::string& tag) {
  return durable_->write(tag);
}

std::vector<std::string> in_process_target::check_durable() {
  return durable_->check();
}

} // namespace cafmcp::app
