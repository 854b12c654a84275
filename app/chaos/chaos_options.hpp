#pragma once
// The command line of cafmcp-chaos:
//
//   cafmcp-chaos --list
//   cafmcp-chaos --scenario NAME|all [--sessions N] [--duration S] [--seed N]
//                [--rate R] [--kill-rate K] [--pools N] [--transports LIST] [--ci]
//                [--target http://ADMIN --token T] [--spawn-node] [--node-binary PATH]
//                [--report FILE.json] [--quiet]

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <caf/expected.hpp>

#include "cafmcp/chaos/runner.hpp"

namespace cafmcp::app {

struct chaos_options {
  bool list = false;
  std::vector<std::string> scenarios; // resolved: "all" expanded
  chaos::run_options run;
  std::size_t pools = 10;
  std::string target; // admin URL of a running node; empty: in-process
  std::string token;
  std::string node_binary; // for node_failure; empty: next to cafmcp-chaos
  // Run every scenario against a node process the runner starts (as
  // node_failure always does): the load and the node then have a file
  // descriptor limit each, which 15,000 sessions in one process exceed.
  bool spawn_node = false;
  std::string report; // JSON report file
};

// Parses argv. An error carries the message to print (exit 2); `--help`
// comes back as an error whose message is the help text and code 0.
struct chaos_usage {
  int exit_code = 0;
  std::string text;
};
std::variant<chaos_options, chaos_usage> parse_chaos_options(int argc, char** argv);

} // namespace cafmcp::app
