// cafmcp-chaos: kills failure domains of a cafmcp node under live MCP load,
// measures every recovery, and exits 0 only when every SLA held.
// See chaos_options.hpp for the command line and README.md ("Chaos") for
// what each figure means.

#include <fstream>
#include <iostream>
#include <variant>

#include <caf/all.hpp>

#include "cafmcp/app/chaos/chaos_options.hpp"
#include "cafmcp/app/chaos/chaos_run.hpp"
#include "cafmcp/app/node/node.hpp"
#include "cafmcp/chaos/report.hpp"
#include "cafmcp/chaos/scenario.hpp"
#include "cafmcp/client/client_error.hpp"

namespace app = cafmcp::app;
namespace chaos = cafmcp::chaos;

int main(int argc, char** argv) {
  auto parsed = app::parse_chaos_options(argc, argv);
  if (auto usage = std::get_if<app::chaos_usage>(&parsed)) {
    (usage->exit_code == 0 ? std::cout : std::cerr) << usage->text << '\n';
    return usage->exit_code;
  }
  auto& opts = std::get<app::chaos_options>(parsed);
  if (opts.list) {
    for (auto& s : chaos::catalogue())
      std::cout << s.name << "\n    " << s.description << '\n';
    return 0;
  }

  std::vector<chaos::scenario_result> results;
  int status = 0;
  for (auto& name : opts.scenarios) {
    // A fresh actor system per scenario: a node owns names in its system's
    // registry (one node per actor system), and no scenario may inherit the
    // previous one's damage.
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads",
            static_cast<int>(cafmcp::transports::split_threads().caf_threads));
    app::add_error_categories(cfg);
    cafmcp::client::add_client_error_category(cfg);
    caf::actor_system sys{cfg};
    // The load's sockets: one thread moves the bytes of every client session.
    cafmcp::transports::io_runner io{1};
    io.start();
    auto r = app::run_chaos_scenario(sys, io, name, opts);
    io.stop();
    if (!r) {
      std::cerr << "cafmcp-chaos: " << name << ": " << sys.render(r.error()) << '\n';
      chaos::scenario_result failed;
      failed.scenario = name;
      failed.checks.push_back({"scenario ran", "yes", sys.render(r.error()), false});
      results.push_back(std::move(failed));
      status = 1;
      continue;
    }
    chaos::print_summary(std::cout, *r);
    std::cout << std::flush;
    status = r->pass() ? status : 1;
    results.push_back(std::move(*r));
  }
  if (!opts.report.empty()) {
    std::ofstream out{opts.report};
    out << chaos::to_json(results).dump(2) << '\n';
    if (!out) {
      std::cerr << "cafmcp-chaos: cannot write " << opts.report << '\n';
      status = status == 0 ? 1 : status;
    }
  }
  std::cout << "\ncafmcp-chaos: " << (status == 0 ? "every SLA held" : "SLA FAILED") << '\n';
  return status;
}
