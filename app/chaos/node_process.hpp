#pragma once
// A cafmcp-node in a child process, for the node-failure scenario: started,
// killed with SIGKILL (no chance to clean up, as a crash), and started again
// with the same command line. Its stderr is read on a thread of its own: the
// "cafmcp: ready" line tells when a start completed.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <caf/error.hpp>

namespace cafmcp::app {

class node_process {
public:
  using clock = std::chrono::steady_clock;

  explicit node_process(std::vector<std::string> argv);
  ~node_process(); // SIGTERM, then SIGKILL after a grace period

  // Starts it and waits until it is ready (or `limit` passed).
  caf::error start(std::chrono::milliseconds limit);
  // SIGKILL, reaped, then started again without waiting for it.
  caf::error kill_and_restart();
  // When a start that began at or after `since` printed ready.
  std::optional<clock::time_point> await_ready(clock::time_point since, clock::time_point deadline);
  // The lines the node printed (listeners, admin token) since its last start.
  std::vector<std::string> lines() const;

private:
  caf::error spawn();
  void stop(int signal, std::chrono::milliseconds grace);

  std::vector<std::string> argv_;
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  clock::time_point started_at_;
  std::optional<clock::time_point> ready_at_;
  std::vector<std::string> lines_;
};

} // namespace cafmcp::app
