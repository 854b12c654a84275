#include <caf/sec.hpp>

#include "cafmcp/app/chaos/chaos_run.hpp"

#include <filesystem>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/services/secure_id.hpp"
#include "cafmcp/app/chaos/in_process_target.hpp"
#include "cafmcp/app/chaos/remote_target.hpp"
#include "cafmcp/chaos/runner.hpp"
#include "cafmcp/chaos/scenario.hpp"

namespace cafmcp::app {

namespace {

namespace fs = std::filesystem;

// A port nothing listens on now. The node binds it a moment later; another
// process could take it in between, which only makes the start fail loudly.
std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a{io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  return a.local_endpoint().port();
}

std::string at(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

caf::expected<chaos::scenario_result> run_on(caf::actor_system& sys, transports::io_runner& io,
                                             chaos::target& t, const std::string& name,
                                             const chaos_options& opts) {
  auto s = chaos::find_scenario(name);
  if (!s)
    return caf::make_error(caf::sec::runtime_error, "unknown scenario " + name);
  if (opts.run.progress)
    *opts.run.progress << "[" << name << "] target: " << t.describe() << "\n";
  return chaos::run_scenario(sys, io, t, *s, opts.run);
}

caf::expected<chaos::scenario_result> run_with_process(caf::actor_system& sys,
                                                       transports::io_runner& io,
                                                       const std::string& name,
                                                       const chaos_options& opts) {
  auto binary = opts.node_binary.empty() ? default_node_binary() : opts.node_binary;
  if (binary.empty() || !fs::exists(binary))
    return caf::make_error(caf::sec::runtime_error,
                           "node_failure needs cafmcp-node: pass --node-binary PATH");
  auto token = services::make_secure_id(24);
  auto dir = fs::temp_directory_path() / ("cafmcp-chaos-" + services::make_secure_id(8));
  fs::create_directories(dir);
  auto sessions = static_cast<std::uint64_t>(opts.run.sessions);
  // Chaos kills on purpose and often: the restart budgets are raised as for
  // the in-process node (chaos_node_config), so that escalation, which the
  // supervision tests cover, does not end the run.
  nlohmann::json budget{{"intensity", 1000}, {"period_ms", 10000}};
  nlohmann::json cfg{{"profile", "loadtest"},
                     {"supervision",
                      {{"num_pools", opts.pools},
                       {"servers_per_pool", sessions + 100},
                       {"pool_restart_intensity", 1000},
                       {"root", budget},
                       {"core", budget},
                       {"monitoring", budget},
                       {"config", budget}}},
                     {"admin", {{"token", token}}},
                     {"limits",
                      {{"max_sessions", sessions * 2 + 100},
                       {"max_connections_per_transport", sessions * 2 + 100}}}};
  auto cfg_file = dir / "node.json";
  std::ofstream{cfg_file} << cfg.dump(2);
  auto admin_port = free_port();
  auto process = std::make_shared<node_process>(std::vector<std::string>{
      binary, "--config", cfg_file.string(), "--http", at(free_port()), "--sse", at(free_port()),
      "--ws", at(free_port()), "--tcp", at(free_port()), "--admin", at(admin_port)});
  auto started = process->start(std::chrono::seconds{30});
  std::error_code ignored;
  if (started) {
    fs::remove_all(dir, ignored);
    return started;
  }
  remote_target t{admin_client{"127.0.0.1", admin_port, token}, process};
  auto result = [&]() -> caf::expected<chaos::scenario_result> {
    if (auto err = t.start())
      return err;
    return run_on(sys, io, t, name, opts);
  }();
  fs::remove_all(dir, ignored);
  return result;
}

} // namespace

std::string default_node_binary() {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return {};
  auto dir = self.parent_path();
  for (auto candidate : {dir / "cafmcp-node", dir / ".." / "node" / "cafmcp-node"})
    if (fs::exists(candidate, ec))
      return fs::weakly_canonical(candidate, ec).string();
  return {};
}

caf::expected<chaos::scenario_result> run_chaos_scenario(caf::actor_system& sys,
                                                         transports::io_runner& io,
                                                         const std::string& scenario,
                                                         const chaos_options& opts) {
  if (scenario == "node_failure" || opts.spawn_node)
    return run_with_process(sys, io, scenario, opts);
  if (!opts.target.empty()) {
    auto admin = admin_client::from_url(opts.target, opts.token);
    if (!admin)
      return admin.error();
    remote_target t{*admin, nullptr};
    if (auto err = t.start())
      return err;
    return run_on(sys, io, t, scenario, opts);
  }
  in_process_target t{sys, chaos_node_config(opts.pools, opts.run.sessions)};
  if (auto err = t.start())
    return err;
  return run_on(sys, io, t, scenario, opts);
}

} // namespace cafmcp::app
