#pragma once
// A whole node inside the chaos runner's process: the load reaches it over
// real sockets (its HTTP, legacy SSE, WebSocket and TCP listeners on
// 127.0.0.1), and the runner sees its supervisors' reports, registry and
// service references directly, so every recovery step is measured exactly.

#include <map>
#include <memory>

#include <caf/actor.hpp>

#include "cafmcp/app/admin/admin_handler.hpp"
#include "cafmcp/app/node/node.hpp"
#include "cafmcp/chaos/durable_probe.hpp"
#include "cafmcp/chaos/target.hpp"

namespace cafmcp::app {

// The node the runner embeds: the given pools, every network transport on
// port 0, and the echo tool the load calls (it answers its text, and tells
// the caller its session id in structuredContent so the runner knows the pool).
node_config chaos_node_config(std::size_t num_pools, std::size_t max_sessions);
std::shared_ptr<mcp::server_config> chaos_server_config();

class in_process_target : public chaos::target {
public:
  in_process_target(caf::actor_system& sys, node_config cfg);
  ~in_process_target() override;

  caf::error start();

  std::string describe() const override;
  std::size_t num_pools() const override;
  std::vector<chaos::endpoint> endpoints() const override;
  std::optional<std::size_t> pool_of(const std::string& session_id) const override;
  caf::error kill(const chaos::victim& v) override;
  std::optional<chaos::steady::time_point>
  await_running(const chaos::victim& v, chaos::steady::time_point since,
                chaos::steady::time_point deadline) override;
  std::optional<chaos::steady::time_point>
  await_registered(const chaos::victim& v, chaos::steady::time_point since,
                   chaos::steady::time_point deadline) override;
  std::optional<chaos::steady::time_point>
  await_serving(const chaos::victim& v, chaos::steady::time_point since,
                chaos::steady::time_point deadline) override;
  const chaos::tree_events& events() const override { return *events_; }
  caf::error write_durable(const std::string& tag) override;
  std::vector<std::string> check_durable() override;

  node& the_node() { return *node_; }

private:
  // The handle others find the victim by, read just before the kill, so that
  // "re-registered" means a new incarnation took its place.
  caf::actor published(const chaos::victim& v) const;
  std::shared_ptr<services::service_ref> service_ref_of(const std::string& name) const;

  caf::actor_system& sys_;
  std::unique_ptr<node> node_;
  std::unique_ptr<admin_handler> admin_;
  std::shared_ptr<chaos::tree_events> events_ = std::make_shared<chaos::tree_events>();
  caf::actor follower_;
  std::unique_ptr<chaos::durable_probe> durable_;
  mutable std::mutex mtx_;
  std::map<std::string, caf::actor_addr> before_kill_;
};

} // namespace cafmcp::app
