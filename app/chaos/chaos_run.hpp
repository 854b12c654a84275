#pragma once
// Runs one scenario against the target the options name, built fresh for it
// so that scenarios never see each other's damage:
//   node_failure    a cafmcp-node child process (loadtest profile), killed
//                   with SIGKILL and restarted (every scenario with --spawn-node)
//   --target URL    a node somebody else runs, through its admin endpoint
//   otherwise       a node embedded in this process

#include <string>

#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/app/chaos/chaos_options.hpp"
#include "cafmcp/chaos/results.hpp"
#include "cafmcp/transports/io_runner.hpp"

namespace cafmcp::app {

caf::expected<chaos::scenario_result> run_chaos_scenario(caf::actor_system& sys,
                                                         transports::io_runner& io,
                                                         const std::string& scenario,
                                                         const chaos_options& opts);

// cafmcp-node next to this program (build tree or install tree), or "".
std::string default_node_binary();

} // namespace cafmcp::app
