#include "cafmcp/app/chaos/chaos_options.hpp"

#include <iostream>
#include <variant>

#include <CLI/CLI.hpp>

#include "cafmcp/chaos/scenario.hpp"

namespace cafmcp::app {

std::variant<chaos_options, chaos_usage> parse_chaos_options(int argc, char** argv) {
  chaos_options o;
  std::string scenario;
  double duration_s = 60;
  bool ci = false;
  bool quiet = false;
  // 15,000 sessions at 0.2 calls/s: 3,000 calls/s, which a 2-core machine
  // running both the node and the load sustains with room for the recovery.
  o.run.calls_per_second = 0.2;
  std::uint64_t seed = 1;
  std::size_t sessions = 15000;
  CLI::App app{"cafmcp-chaos: kills failure domains of a cafmcp node under live MCP load and "
               "measures recovery against the SLAs. Exit 0 only when every SLA held."};
  app.add_flag("--list", o.list, "list the scenarios and exit");
  app.add_option("--scenario", scenario, "a scenario name, or all")->type_name("NAME|all");
  app.add_option("--sessions", sessions, "load sessions, split across the transports")
      ->check(CLI::Range(1, 200000));
  app.add_option("--duration", duration_s, "seconds of random kills (extended injection)")
      ->check(CLI::Range(1.0, 86400.0));
  app.add_option("--seed", seed, "seed of every random choice (replay a run with it)");
  app.add_option("--rate", o.run.calls_per_second, "tools/call per second per session (0.2)")
      ->check(CLI::Range(0.01, 1000.0));
  app.add_option("--kill-rate", o.run.kills_per_second, "kills per second (extended injection)")
      ->check(CLI::Range(0.01, 100.0));
  app.add_option("--pools", o.pools, "connection pools of the in-process or spawned node")
      ->check(CLI::Range(1, 4096));
  app.add_option("--transports", o.run.transports, "which transports carry load (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"http", "sse", "websocket", "tcp"}))
      ->type_name("http,sse,websocket,tcp");
  app.add_flag("--ci", ci,
               "the small CI profile: 300 sessions, 2 calls/s each, 5 s of extended injection");
  app.add_option("--target", o.target, "admin endpoint of a running node (default: in-process)")
      ->type_name("http://HOST:PORT");
  app.add_option("--token", o.token, "the admin endpoint's bearer token");
  app.add_flag("--spawn-node", o.spawn_node,
               "run every scenario against a cafmcp-node process started by the runner");
  app.add_option("--node-binary", o.node_binary, "cafmcp-node for the node_failure scenario");
  app.add_option("--report", o.report, "write the JSON report here")->type_name("FILE.json");
  app.add_flag("--quiet", quiet, "no live progress line");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return chaos_usage{0, app.help()};
  } catch (const CLI::ParseError& e) {
    return chaos_usage{2, std::string{"cafmcp-chaos: "} + e.what() + "\n" + app.help()};
  }
  if (ci) {
    if (app.count("--sessions") == 0)
      sessions = 300;
    if (app.count("--duration") == 0)
      duration_s = 5;
    if (app.count("--rate") == 0)
      o.run.calls_per_second = 2;
  }
  o.run.sessions = sessions;
  o.run.seed = seed;
  o.run.duration = std::chrono::milliseconds{static_cast<int64_t>(duration_s * 1000)};
  o.run.progress = quiet ? nullptr : &std::cerr;
  if (!o.target.empty() && o.spawn_node)
    return chaos_usage{2, "cafmcp-chaos: --target and --spawn-node exclude each other"};
  if (!o.target.empty() && o.token.empty())
    return chaos_usage{2, "cafmcp-chaos: --target needs --token (the node prints it at start)"};
  if (o.list)
    return o;
  if (scenario.empty())
    return chaos_usage{2, "cafmcp-chaos: --scenario NAME|all is required (or --list)"};
  if (scenario == "all") {
    for (auto& s : chaos::catalogue())
      o.scenarios.push_back(s.name);
  } else if (chaos::find_scenario(scenario)) {
    o.scenarios.push_back(scenario);
  } else {
    return chaos_usage{2, "cafmcp-chaos: unknown scenario '" + scenario + "' (see --list)"};
  }
  return o;
}

} // namespace cafmcp::app
