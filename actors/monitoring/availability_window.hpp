#pragma once
// Availability over a sliding window, from two running totals (requests served, requests the
// server failed) read on every call: simple_monitor calls it once per evaluation, and the
// answer is the share of requests in the last `window` that did not fail. Too few requests in
// the window say nothing (an idle node is not unavailable): the answer is then empty.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

namespace cafmcp::monitoring {

class availability_window {
public:
  using clock = std::chrono::steady_clock;
  // (all requests answered so far, the ones among them the server failed)
  using totals_fn = std::function<std::pair<std::uint64_t, std::uint64_t>()>;

  availability_window(totals_fn totals, std::chrono::milliseconds window,
                      std::uint64_t min_requests);

  std::optional<double> operator()();
  std::optional<double> at(clock::time_point now);

private:
  struct point {
    clock::time_point at;
    std::uint64_t all;
    std::uint64_t failed;
  };
  totals_fn totals_;
  std::chrono::milliseconds window_;
  std::uint64_t min_requests_;
  std::mutex mtx_;
  std::deque<point> points_;
};

} // namespace cafmcp::monitoring
