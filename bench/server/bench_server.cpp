// cafmcp-bench-server: cafmcp-node's command line and tree, plus the one tool
// the benchmarks call, `echo` ({"text": string} -> a text content with it).
//
// Why a separate binary and not a flag of cafmcp-node: the node binary serves
// what its configuration says and has no benchmark-only tools; an embedding
// program that registers its own tools is exactly how applications use the
// node (actors/mcp/README.md), so the bench measures that path. The admin
// endpoint is left out: nothing here uses it.
//
//   cafmcp-bench-server --http 127.0.0.1:0 --ws 127.0.0.1:0 --tcp 127.0.0.1:0
//
// Prints "cafmcp: listening <name> <host:port>..." per transport, then
// "cafmcp: ready", on stderr; stops on SIGINT/SIGTERM.

#include <csignal>
#include <iostream>

#include <pthread.h>
#include <sys/resource.h>

#include <caf/all.hpp>

#include "cafmcp/actors/mcp/content.hpp"
#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/mcp/server_config.hpp"
#include "cafmcp/app/config/command_line.hpp"
#include "cafmcp/app/node/node.hpp"

namespace app = cafmcp::app;
namespace mcp = cafmcp::mcp;

namespace {

sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Sessions benchmarks hold one socket per session: take every fd the hard
// limit allows (raising the hard limit itself needs CAP_SYS_RESOURCE).
rlim_t raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
    return 0;
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

std::shared_ptr<mcp::server_config> echo_server() {
  auto cfg = std::make_shared<mcp::server_config>();
  cfg->info.name = "cafmcp-bench";
  mcp::tool_definition echo;
  echo.name = "echo";
  echo.description = "Returns its text argument";
  echo.input_schema = {
      {"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}, {"required", {"text"}}};
  echo.handler = [](const nlohmann::json& args, mcp::call_context&) {
    return mcp::text_result(args.at("text").get<std::string>());
  };
  // It returns at once: it runs on its session actor, not on a thread per call.
  echo.mode = mcp::execution::cooperative;
  if (auto ok = cfg->features->add_tool(std::move(echo)); !ok) {
    std::cerr << "cafmcp-bench-server: " << mcp::describe(ok.error()) << '\n';
    return nullptr;
  }
  return cfg;
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
      std::cerr << "cafmcp-bench-server: " << app::to_string(e) << '\n';
    return 2;
  }
  auto signals = block_stop_signals();
  auto fds = raise_fd_limit();
  auto server = echo_server();
  if (!server)
    return 1;

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads",
          static_cast<int>(cafmcp::transports::split_threads().caf_threads));
  app::add_error_categories(cfg);
  caf::actor_system sys{cfg};

  app::node node{sys, cl.config, server};
  if (auto err = node.start()) {
    std::cerr << "cafmcp-bench-server: the tree failed to start: " << sys.render(err) << '\n';
    return 1;
  }
  for (auto& line : node.listening())
    std::cerr << "cafmcp: listening " << line << '\n';
  std::cerr << "cafmcp: fd limit " << fds << '\n';
  std::cerr << "cafmcp: ready" << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  if (auto reason = node.stop()) {
    std::cerr << "cafmcp-bench-server: the tree stopped abnormally: " << sys.render(reason) << '\n';
    return 1;
  }
  return 0;
}
