// The command line of cafmcp-node (DESIGN.md §8, keep it stable):
//
//   cafmcp-node [--config FILE] [--profile default|conformance|loadtest] [--stdio]
//               [--http HOST:PORT] [--sse HOST:PORT] [--ws HOST:PORT]
//               [--tcp HOST:PORT] [--admin HOST:PORT]
//               [--num-pools N] [--servers-per-pool N] [--print-tree] [--help]
//
// Flags override the config file, which overrides the built-in defaults.
#pragma once

#include "cafmcp/app/config/config_error.hpp"
#include "cafmcp/app/config/node_config.hpp"

#include <string>
#include <vector>

namespace cafmcp::app {

enum class command_line_outcome {
  run,          // start the node with `config`
  help,         // print `help_text` to stdout and exit 0
  usage_error,  // a flag is unknown or malformed: print `errors`, exit 2
  config_error, // the config file or the resulting config is bad: same, exit 2
};

struct command_line_result {
  command_line_outcome outcome = command_line_outcome::run;
  node_config config;      // the effective config, when outcome == run
  bool print_tree = false; // --print-tree: print the tree once it is up
  std::string config_file; // --config FILE, empty without it
  std::string help_text;   // always filled, so errors can point at it
  // Each names the flag (`--http`) when a flag caused it, else the config
  // key (`supervision.num_pools`) or the file.
  std::vector<cafmcp::app::config_error> errors;

  bool is_error() const {
    return outcome == command_line_outcome::usage_error ||
           outcome == command_line_outcome::config_error;
  }
};

/// `argv[0]` is the program name and is skipped. Never throws.
command_line_result parse_command_line(int argc, const char* const* argv);

/// The arguments after the program name.
command_line_result parse_command_line(const std::vector<std::string>& args);

} // namespace cafmcp::app
