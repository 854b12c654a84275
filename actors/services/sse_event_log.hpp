// The SSE event log: per (session, stream), a bounded append-only list of events, and the one
// sequence counter that makes event ids unique.
//
// Why a separate object: the log must survive the event store actor's crash (DESIGN.md §2); a
// client that resumes after it must get the same replay as before. Thread-safe (one mutex).
//
// Bounds: per stream at most max_events and max_bytes (oldest events go first; one event larger
// than max_bytes is kept alone), and per session at most max_streams (the stream with the
// oldest last event goes first). What was evicted is remembered as a watermark, so a replay
// that would need it fails instead of skipping it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include <caf/expected.hpp>

#include "cafmcp/actors/services/sse_messages.hpp"

namespace cafmcp::services {

struct sse_limits {
  std::size_t max_events_per_stream = 1000; // sse.event_store_max_events_per_stream
  std::size_t max_bytes_per_stream = 16 * 1024 * 1024;
  std::size_t max_streams_per_session = 256;
};

class sse_event_log {
public:
  sse_event_log() = default;
  sse_event_log(const sse_event_log&) = delete;
  sse_event_log& operator=(const sse_event_log&) = delete;

  caf::expected<std::string> append(const std::string& session, const std::string& stream,
                                    std::string data, const sse_limits& limits);
  caf::expected<sse_replay> replay_after(const std::string& session,
                                         const std::string& last_event_id) const;
  std::size_t drop_session(const std::string& session);
  sse_stats stats() const;

private:
  struct stream_log {
    std::deque<std::pair<std::uint64_t, std::string>> events; // (seq, data), ascending seq
    std::uint64_t first_seq = 0;                              // the stream's first event ever
    std::uint64_t last_seq = 0;                               // its latest event
    std::uint64_t evicted_through = 0;                        // the latest evicted event; 0: none
    std::size_t bytes = 0;
  };
  using session_log = std::unordered_map<std::string, stream_log>;

  mutable std::mutex mtx_;
  std::unordered_map<std::string, session_log> sessions_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t events_ = 0;
  std::uint64_t bytes_ = 0;
};

} // namespace cafmcp::services
