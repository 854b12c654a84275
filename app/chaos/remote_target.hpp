#pragma once
// A node in another process, seen through its admin endpoint: the load goes to
// the listeners it reports (GET /listeners), kills go to POST /kill, and what
// restarted when comes from GET /events, polled (the times in it are the
// node's own, so polling adds no error to them). When the runner started the
// node itself (node_process), the node can also be killed with SIGKILL and
// restarted: the node-failure scenario.
//
// What it cannot see from outside: registry routes and service references
// ("registered" is "running" for services), probe requests to services
// ("serving" is not measured for them), and the services' stored data (the
// lost-data check needs the in-process target). The pool of a session is
// its home pool (stable hash), exact while every pool is healthy.

#include <atomic>
#include <memory>
#include <thread>

#include "cafmcp/app/chaos/admin_client.hpp"
#include "cafmcp/app/chaos/node_process.hpp"
#include "cafmcp/chaos/target.hpp"

namespace cafmcp::app {

class remote_target : public chaos::target {
public:
  // `process` may be null: a node somebody else runs.
  remote_target(admin_client admin, std::shared_ptr<node_process> process);
  ~remote_target() override;

  // Reads the listeners and the pools, and starts following the events.
  caf::error start();

  std::string describe() const override;
  std::size_t num_pools() const override { return num_pools_; }
  std::vector<chaos::endpoint> endpoints() const override { return endpoints_; }
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
  bool checks_durability() const override { return false; }
  caf::error write_durable(const std::string&) override { return caf::none; }
  std::vector<std::string> check_durable() override { return {}; }

private:
  void follow_events();

  admin_client admin_;
  std::shared_ptr<node_process> process_;
  std::size_t num_pools_ = 0;
  std::vector<chaos::endpoint> endpoints_;
  std::shared_ptr<chaos::tree_events> events_ = std::make_shared<chaos::tree_events>();
  std::atomic<bool> stop_{false};
  std::thread follower_;
};

} // namespace cafmcp::app
