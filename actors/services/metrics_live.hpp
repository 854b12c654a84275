// Hot-path metrics without an actor message per event: a fixed table of atomic counters, gauges
// and histogram buckets that request dispatch and transports update directly (relaxed atomics,
// no lock, no allocation), and that a /metrics scrape reads.
//
// Why not the metrics actor: at tens of thousands of requests per second one message per request
// would cost more than the request itself, and a restarting metrics actor would lose the updates
// sent meanwhile. The table is owned by the node (like every other store, one level above the
// actors), so it survives a metrics crash too.
//
// How hot paths find it: the node installs its table as the process's live sink; a hook asks
// `live_metrics::sink()` (one atomic load) and does nothing when no node runs. An installed table
// is never freed (a few KiB), so a hook that kept the pointer can never touch freed memory.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace cafmcp::services {

class metrics_exposition;

enum class request_outcome : std::uint8_t {
  ok,     // a result
  error,  // a JSON-RPC error the client caused (bad params, unknown method, ...)
  failed, // the server failed it (internal error, the handler died)
};

class live_metrics {
public:
  // The MCP methods counted one by one; anything else is "other".
  static constexpr std::array<std::string_view, 18> methods = {"initialize",
                                                               "ping",
                                                               "tools/list",
                                                               "tools/call",
                                                               "resources/list",
                                                               "resources/read",
                                                               "resources/templates/list",
                                                               "resources/subscribe",
                                                               "resources/unsubscribe",
                                                               "prompts/list",
                                                               "prompts/get",
                                                               "completion/complete",
                                                               "logging/setLevel",
                                                               "tasks/get",
                                                               "tasks/result",
                                                               "tasks/list",
                                                               "tasks/cancel",
                                                               "other"};
  static constexpr std::size_t num_methods = methods.size();
  // Indexed like mcp::transport_kind (stdio, tcp, streamable_http, sse, websocket, in_process).
  static constexpr std::array<std::string_view, 6> transports = {
      "stdio", "tcp", "streamable_http", "sse", "websocket", "in_process"};
  static constexpr std::size_t num_outcomes = 3;
  // Request latency bucket bounds in seconds (the metrics service's default buckets).
  static constexpr std::array<double, 16> bounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                    0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                    1,      2.5,     5,      10};

  live_metrics() = default;
  live_metrics(const live_metrics&) = delete;
  live_metrics& operator=(const live_metrics&) = delete;

  static std::size_t method_index(std::string_view method) noexcept;
  static std::string_view outcome_name(request_outcome o) noexcept;

  // -- hot path -------------------------------------------------------------------------------
  // One answered request; `seconds` < 0: no latency known (answered without being dispatched).
  void request_done(std::size_t method, request_outcome outcome, double seconds) noexcept;
  void session_opened(std::size_t transport) noexcept;
  void session_closed(std::size_t transport) noexcept;
  // Inline (like sink()), so that transports need not link the services library.
  void sse_stream_opened() noexcept {
    sse_streams_.fetch_add(1, std::memory_order_relaxed);
    sse_streams_opened_.fetch_add(1, std::memory_order_relaxed);
  }
  void sse_stream_closed() noexcept { sse_streams_.fetch_sub(1, std::memory_order_relaxed); }

  // -- readers --------------------------------------------------------------------------------
  std::uint64_t requests(request_outcome outcome) const noexcept;
  std::uint64_t requests(std::size_t method, request_outcome outcome) const noexcept;
  std::int64_t sessions(std::size_t transport) const noexcept;
  std::int64_t sse_streams() const noexcept;
  // Appends every family of the table (zero series included, so dashboards see them at once).
  void write(metrics_exposition& out) const;

  // -- the process's sink ---------------------------------------------------------------------
  static live_metrics* sink() noexcept { return current_.load(std::memory_order_acquire); }
  // Makes `table` the sink (null: none) and keeps it alive for the rest of the process.
  static void install(std::shared_ptr<live_metrics> table);

private:
  static inline std::atomic<live_metrics*> current_{nullptr};

  struct alignas(64) method_row {
    std::array<std::atomic<std::uint64_t>, num_outcomes> count{};
    std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets{}; // not cumulative
    std::atomic<std::uint64_t> sum_ns{0};
    std::atomic<std::uint64_t> observed{0};
  };
  std::array<method_row, num_methods> rows_{};
  std::array<std::atomic<std::int64_t>, transports.size()> sessions_{};
  std::array<std::atomic<std::uint64_t>, transports.size()> sessions_opened_{};
  std::atomic<std::int64_t> sse_streams_{0};
  std::atomic<std::uint64_t> sse_streams_opened_{0};
};

// A connection's "this exchange is an SSE stream" flag that counts itself in the live table:
// setting it true counts a stream open, false (or destruction) counts it closed. A drop-in for
// a bool member of a transport's connection.
class sse_stream_flag {
public:
  sse_stream_flag() = default;
  sse_stream_flag(const sse_stream_flag&) = delete;
  sse_stream_flag& operator=(const sse_stream_flag&) = delete;
  ~sse_stream_flag() { *this = false; }

  sse_stream_flag& operator=(bool on) noexcept {
    if (on == on_)
      return *this;
    on_ = on;
    if (on) {
      table_ = live_metrics::sink();
      if (table_)
        table_->sse_stream_opened();
    } else if (table_) {
      table_->sse_stream_closed();
      table_ = nullptr;
    }
    return *this;
  }
  explicit operator bool() const noexcept { return on_; }

private:
  bool on_ = false;
  live_metrics* table_ = nullptr;
};

} // namespace cafmcp::services
