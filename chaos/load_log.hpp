#pragma once
// What the load saw, session by session: every call with its outcome, and
// every incarnation of the session (a client re-initializes when its server
// dies). The analysis reads it after the load stopped; the load writes it
// while it runs, so each log has its own lock.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cafmcp::chaos {

using steady = std::chrono::steady_clock;

struct call_record {
  steady::time_point start;
  steady::time_point end;
  std::uint32_t incarnation = 0; // index into session_log::incarnations
  bool ok = false;
};

// One MCP session (one initialize) of a load session.
struct incarnation {
  steady::time_point opened;
  std::string session_id;          // from the first answer, when the server tells it
  std::optional<std::size_t> pool; // the pool serving it, when the target can tell
};

class session_log {
public:
  explicit session_log(std::string transport) : transport_(std::move(transport)) {}

  const std::string& transport() const noexcept { return transport_; }

  // Returns the new incarnation's index.
  std::uint32_t opened(steady::time_point at);
  void identified(std::uint32_t incarnation, std::string session_id,
                  std::optional<std::size_t> pool);
  void record(call_record r);
  void failed_open(steady::time_point at);
  // The newest incarnation's connection ended: no current session until the
  // next one is identified.
  void lost();

  // Copies, for the analysis.
  std::vector<incarnation> incarnations() const;
  std::vector<call_record> calls() const;
  std::size_t failed_opens() const;
  // The session id of the newest incarnation (empty before it is known, and
  // after its connection was lost).
  std::string current_session() const;
  std::optional<std::size_t> pool_at(steady::time_point t) const;

private:
  std::string transport_;
  mutable std::mutex mtx_;
  std::vector<incarnation> incarnations_;
  std::vector<call_record> calls_;
  std::size_t failed_opens_ = 0;
  bool lost_ = false;
};

using load_logs = std::vector<std::shared_ptr<session_log>>;

} // namespace cafmcp::chaos
