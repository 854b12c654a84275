#include "cafmcp/actors/services/metrics_live.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include "cafmcp/actors/services/metrics_exposition.hpp"

namespace cafmcp::services {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

std::string text(std::string_view x) {
  return std::string{x};
}

} // namespace

std::size_t live_metrics::method_index(std::string_view method) noexcept {
  for (std::size_t i = 0; i + 1 < methods.size(); ++i)
    if (methods[i] == method)
      return i;
  return methods.size() - 1;
}

std::string_view live_metrics::outcome_name(request_outcome o) noexcept {
  switch (o) {
  case request_outcome::ok:
    return "ok";
  case request_outcome::error:
    return "error";
  case request_outcome::failed:
    return "failed";
  }
  return "failed";
}

void live_metrics::request_done(std::size_t method, request_outcome outcome,
                                double seconds) noexcept {
  auto& row = rows_[std::min(method, num_methods - 1)];
  row.count[static_cast<std::size_t>(outcome)].fetch_add(1, relaxed);
  if (seconds < 0)
    return;
  auto bucket = static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                                         bounds.begin());
  row.buckets[bucket].fetch_add(1, relaxed);
  row.sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), relaxed);
  row.observed.fetch_add(1, relaxed);
}

void live_metrics::session_opened(std::size_t transport) noexcept {
  if (transport >= transports.size())
    return;
  sessions_[transport].fetch_add(1, relaxed);
  sessions_opened_[transport].fetch_add(1, relaxed);
}

void live_metrics::session_closed(std::size_t transport) noexcept {
  if (transport < transports.size())
    sessions_[transport].fetch_sub(1, relaxed);
}

std::uint64_t live_metrics::requests(request_outcome outcome) const noexcept {
  std::uint64_t n = 0;
  for (auto& row : rows_)
    n += row.count[static_cast<std::size_t>(outcome)].load(relaxed);
  return n;
}

std::uint64_t live_metrics::requests(std::size_t method, request_outcome outcome) const noexcept {
  return rows_[std::min(method, num_methods - 1)].count[static_cast<std::size_t>(outcome)].load(
      relaxed);
}

std::int64_t live_metrics::sessions(std::size_t transport) const noexcept {
  return transport < transports.size() ? sessions_[transport].load(relaxed) : 0;
}

std::int64_t live_metrics::sse_streams() const noexcept {
  return sse_streams_.load(relaxed);
}

void live_metrics::write(metrics_exposition& out) const {
  if (out.family("cafmcp_requests_total", "counter",
                 "MCP requests answered, by method and outcome (ok: a result, error: a JSON-RPC "
                 "error the client caused, failed: the server failed it)"))
    for (std::size_t m = 0; m < num_methods; ++m)
      for (std::size_t o = 0; o < num_outcomes; ++o)
        out.sample({},
                   {{"method", text(methods[m])},
                    {"outcome", text(outcome_name(static_cast<request_outcome>(o)))}},
                   static_cast<double>(rows_[m].count[o].load(relaxed)));
  if (out.family(
          "cafmcp_request_duration_seconds", "histogram",
          "Time from a request's arrival at its session's server to its answer, by method")) {
    std::vector<double> b(bounds.begin(), bounds.end());
    for (std::size_t m = 0; m < num_methods; ++m) {
      auto& row = rows_[m];
      std::vector<std::uint64_t> buckets;
      for (auto& x : row.buckets)
        buckets.push_back(x.load(relaxed));
      // The count is the buckets' total, read once, so that +Inf == _count in every scrape.
      std::uint64_t count = 0;
      for (auto x : buckets)
        count += x;
      out.histogram({{"method", text(methods[m])}}, b, buckets,
                    static_cast<double>(row.sum_ns.load(relaxed)) / 1e9, count);
    }
  }
  if (out.family("cafmcp_sessions", "gauge", "MCP sessions open now, by transport"))
    for (std::size_t t = 0; t < transports.size(); ++t)
      out.sample({}, {{"transport", text(transports[t])}},
                 static_cast<double>(sessions_[t].load(relaxed)));
  if (out.family("cafmcp_sessions_opened_total", "counter", "MCP sessions opened, by transport"))
    for (std::size_t t = 0; t < transports.size(); ++t)
      out.sample({}, {{"transport", text(transports[t])}},
                 static_cast<double>(sessions_opened_[t].load(relaxed)));
  if (out.family(
          "cafmcp_sse_streams", "gauge",
          "Server-sent event streams open now (Streamable HTTP GET/POST streams, legacy SSE)"))
    out.sample({}, {}, static_cast<double>(sse_streams_.load(relaxed)));
  if (out.family("cafmcp_sse_streams_opened_total", "counter", "Server-sent event streams opened"))
    out.sample({}, {}, static_cast<double>(sse_streams_opened_.load(relaxed)));
}

void live_metrics::install(std::shared_ptr<live_metrics> table) {
  // Kept for the rest of the process: hooks may hold the raw pointer.
  static std::mutex mtx;
  static std::vector<std::shared_ptr<live_metrics>> keep;
  std::lock_guard<std::mutex> guard{mtx};
  if (table)
    keep.push_back(table);
  current_.store(table.get(), std::memory_order_release);
}

} // namespace cafmcp::services
