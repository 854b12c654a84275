// loadgen: the closed-loop load generator of bench/run.sh. Speaks MCP over
// Streamable HTTP, WebSocket and TCP (initialize, then tools/call of `echo`,
// every answer checked), or plain HTTP GET (for nginx). Prints one JSON line.
//
//   loadgen --mode http --port 8080 --connections 64 --duration 10
//   loadgen --mode ws --port 8082 --sessions 15000 --server-pid PID

#include <cstdio>
#include <exception>

#include "options.hpp"
#include "runs.hpp"

int main(int argc, char** argv) {
  auto opt = loadgen::parse_options(argc, argv);
  if (!opt)
    return 2;
  try {
    auto line = opt->sessions > 0 ? loadgen::run_sessions(*opt) : loadgen::run_throughput(*opt);
    std::printf("%s\n", line.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 1;
  }
}
