// cafmcp-node: loads the configuration (defaults < file < flags), starts the
// supervision tree, reports readiness on stderr and runs until SIGINT or
// SIGTERM, then shuts the tree down in reverse start order.
//

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <future>
#include <iostream>
#include <memory>

#include <pthread.h>
#include <unistd.h>

#include <caf/all.hpp>

#include "cafmcp/actors/mcp/load_fixtures.hpp"
#include "cafmcp/actors/services/secure_id.hpp"
#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/app/admin/admin_server.hpp"
#include "cafmcp/app/config/command_line.hpp"
#include "cafmcp/app/node/conformance_profile.hpp"
#include "cafmcp/app/node/live_tree.hpp"
#include "cafmcp/app/node/node.hpp"

namespace sup = cafmcp::supervision;
namespace app = cafmcp::app;

namespace {

// Blocks SIGINT and SIGTERM in this thread and in every thread started after
// it (CAF's), so that main can wait for them with sigwait.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

} // namespace

int main(int argc, char** argv) {
  auto cl = app::parse_command_line(argc, argv);
  if (cl.outcome == app::command_line_outcome::help) {
    std::cout << cl.help_text;
    return 0;
  }
  if (cl.is_error()) {
    for (auto& e : cl.errors)
      std::cerr << "cafmcp: " << app::to_string(e) << '\n';
    std::cerr << "cafmcp: see --help\n";
    return 2;
  }
  auto signals = block_stop_signals();

  caf::actor_system_config cfg;
  // DESIGN.md §6: CAF's scheduler and the Asio threads sized to the machine together.
  cfg.set("scheduler.max-threads",
          static_cast<int>(cafmcp::transports::split_threads().caf_threads));
  app::add_error_categories(cfg);
  caf::actor_system sys{cfg};

  // The profile decides what the node serves (node_profile in app/config).
  std::shared_ptr<cafmcp::mcp::server_config> server;
  if (cl.config.profile == app::node_profile::conformance) {
    auto fixtures = app::conformance_server();
    if (!fixtures) {
      std::cerr << "cafmcp: the conformance fixtures failed to register: "
                << sys.render(fixtures.error()) << '\n';
      return 1;
    }
    server = std::move(*fixtures);
  } else if (cl.config.profile == app::node_profile::loadtest) {
    server = std::make_shared<cafmcp::mcp::server_config>();
    if (auto added = cafmcp::mcp::load::register_fixtures(*server->features); !added) {
      std::cerr << "cafmcp: the load-test tool failed to register: " << sys.render(added.error())
                << '\n';
      return 1;
    }
  }
  app::node node{sys, cl.config, server};
  if (auto err = node.start()) {
    std::cerr << "cafmcp: the supervision tree failed to start: " << sys.render(err) << '\n';
    return 1;
  }
  for (auto& line : node.listening())
    std::cerr << "cafmcp: listening " << line << '\n';
  std::unique_ptr<app::admin_server> admin;
  if (cl.config.admin.enabled) {
    auto& a = cl.config.admin;
    auto token = a.token.empty() ? cafmcp::services::make_secure_id(24) : a.token;
    auto started = app::admin_server::start(
        std::make_shared<app::admin_handler>(sys, node, token, a.metrics_require_token), a.host,
        a.port);
    if (!started) {
      std::cerr << "cafmcp: " << sys.render(started.error()) << '\n';
      node.stop();
      return 1;
    }
    admin = std::move(*started);
    std::cerr << "cafmcp: listening admin " << a.host << ':' << admin->port() << " token=" << token
              << '\n';
  }
  // Held until the end: an actor whose last handle is dropped ends (unreachable).
  caf::actor stdio_watch;
  // Set once the stdio session ended by itself (EOF, or the server ended it).
  auto stdio_ended = std::make_shared<std::atomic<bool>>(false);
  // Fulfilled when stdin and stdout are closed, the last answer written.
  auto stdio_closed = std::make_shared<std::promise<void>>();
  auto stdio_closed_event = stdio_closed->get_future();
  if (cl.config.transports.stdio) {
    // The node lives as long as its stdio session: at EOF it stops like on SIGTERM.
    auto session = node.start_stdio([stdio_closed] { stdio_closed->set_value(); });
    stdio_watch = sys.spawn([session, stdio_ended](caf::event_based_actor* self) -> caf::behavior {
      self->monitor(session);
      self->set_down_handler([self, stdio_ended](caf::down_msg&) {
        stdio_ended->store(true);
        kill(getpid(), SIGTERM);
        self->quit();
      });
      return {[](caf::ok_atom) {}};
    });
    std::cerr << "cafmcp: serving one session on stdio\n";
  }
  std::cerr << "cafmcp: ready" << std::endl;
  if (cl.print_tree)
    std::cerr << app::render_tree(app::read_tree(sys, node.root(), "cafmcp_sup"));

  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << "cafmcp: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down\n";
  if (admin)
    admin->stop();
  if (stdio_watch) {
    caf::anon_send_exit(stdio_watch, caf::exit_reason::user_shutdown);
    // After EOF the session's last answers may still be on their way to
    // stdout: the connection reports when it wrote them and closed. Wait for
    // that before the io threads stop, at most one write deadline (a reader
    // that stopped reading cannot hold the node).
    if (stdio_ended->load())
      stdio_closed_event.wait_for(cl.config.limits.read_timeout);
  }
  auto reason = node.stop();
  if (auto left = node.connections_left_at_stop(); left > 0)
    std::cerr << "cafmcp: " << left << " connection(s) did not close in time\n";
  if (reason) {
    std::cerr << "cafmcp: the tree stopped abnormally: " << sys.render(reason) << '\n';
    return 1;
  }
  std::cerr << "cafmcp: stopped\n";
  return 0;
}
