#pragma once
// Command line of the load generator (see bench/README section in the repo
// README). Every option has a default, so `loadgen --port P` works.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loadgen {

enum class mode { http, ws, tcp, get };

struct options {
  mode how = mode::http;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path;                 // default per mode: /mcp, /ws, -, /
  std::vector<std::string> sources; // local addresses to bind (round robin); empty: any
  std::string label = "target";     // "target" field of the JSON line
  int threads = 1;                  // io threads
  // Throughput run.
  int connections = 64;
  double duration_s = 10;
  double warmup_s = 1;
  int rep = 1;
  std::string expect_body; // get mode: the exact body the server must send
  // Sessions run (--sessions N switches to it).
  int sessions = 0;
  int open_concurrency = 256;
  double idle_s = 5;
  double trickle_rps = 0; // requests per second spread over random sessions while idle
  int server_pid = 0;     // whose RSS and fds to report
};

// Parses argv; on a bad flag prints the problem and the usage to stderr and
// returns nothing.
std::optional<options> parse_options(int argc, char** argv);

const char* to_string(mode m);

} // namespace loadgen
