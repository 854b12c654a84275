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
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

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
    // (seq, data), ascending seq, the live ones from `head` on. Evicting moves
    // `head`; the spent front is erased once it is half the vector. (A deque
    // cost ~570 B from a stream's first event on, and most streams hold one
    // or two events: an HTTP request's priming event and its answer.)
    std::vector<std::pair<std::uint64_t, std::string>> events;
    std::size_t head = 0;
    std::size_t count() const { return events.size() - head; }
    auto live_begin() const { return events.begin() + static_cast<std::ptrdiff_t>(head); }
    void evict_oldest() {
      events[head].second = std::string{};
      if (++head * 2 >= events.size()) {
        events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(head));
        head = 0;
      }
    }

    std::uint64_t first_seq = 0;       // the stream's first event ever
    std::uint64_t last_seq = 0;        // its latest event
    std::uint64_t evicted_through = 0; // the latest evicted event; 0: none
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
