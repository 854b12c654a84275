#pragma once
// Live load for the chaos runner: many MCP client sessions (cafmcp::client),
// spread over the target's transports, each calling the echo tool at a steady
// rate and checking every answer. A session whose server dies re-initializes
// at once, as a real client would, and keeps going.
//
// Every session is a CAF actor driving a client actor; bytes move on a shared
// io_runner, so thousands of sessions need no thread each.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/chaos/load_log.hpp"
#include "cafmcp/client/client_config.hpp"
#include "cafmcp/transports/io_runner.hpp"

namespace cafmcp::chaos {

// One place the load connects to.
struct endpoint {
  client::client_transport transport = client::client_transport::http;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path; // empty: the transport's default
};

// A client configuration that reaches `ep`, introducing itself as `name`.
client::client_config client_config_for(const endpoint& ep, std::string name);

struct load_settings {
  std::size_t sessions = 300;
  double calls_per_second = 1.0; // per session
  std::chrono::milliseconds call_timeout{5000};
  std::size_t max_connecting = 128; // connects in flight at once
  std::string tool = "echo";        // called with {"text": ...}; answers it back as text
  std::uint64_t seed = 1;
  // The pool a session id is served by, when the target can tell.
  std::function<std::optional<std::size_t>(const std::string&)> pool_of;
};

// Progress, readable at any time from any thread.
struct load_counters {
  std::atomic<std::uint64_t> ok{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::int64_t> connected{0};
  std::atomic<std::int64_t> connecting{0};

  // Why the latest initialize failed, per transport (for the error message
  // when the load cannot open).
  void open_failed(const std::string& transport, std::string why);
  std::string open_failures() const;
  // Failed calls by transport and kind of failure ("websocket connection_lost").
  void call_failed(const std::string& transport, const std::string& kind);
  std::map<std::string, std::uint64_t> call_failures() const;

private:
  mutable std::mutex mtx_;
  std::map<std::string, std::string> last_open_error_;
  std::map<std::string, std::uint64_t> call_failures_;
};

class load_driver {
public:
  load_driver(caf::actor_system& sys, transports::io_runner& io, std::vector<endpoint> endpoints,
              load_settings settings);
  ~load_driver();
  load_driver(const load_driver&) = delete;
  load_driver& operator=(const load_driver&) = delete;

  // Spawns every session and waits until all are initialized, or `limit`
  // passed. Returns how long it took; an error names how many are missing.
  caf::expected<double> start(std::chrono::milliseconds limit);
  // Waits until every session is initialized again (after kills), or the
  // deadline; true when they all are.
  bool await_connected(steady::time_point deadline) const;
  // Ends every session (closing its MCP session) and waits for them.
  void stop();

  const load_logs& logs() const noexcept { return logs_; }
  const load_counters& counters() const noexcept { return *counters_; }

  // A live session of the load, as (index, session id), drawn with `rng`;
  // nullopt when no session has told its id yet.
  std::optional<std::pair<std::size_t, std::string>> pick_session(std::mt19937_64& rng) const;

private:
  caf::actor_system& sys_;
  transports::io_runner& io_;
  std::vector<endpoint> endpoints_;
  load_settings settings_;
  std::shared_ptr<load_counters> counters_ = std::make_shared<load_counters>();
  load_logs logs_;
  std::vector<caf::actor> sessions_;
};

} // namespace cafmcp::chaos
