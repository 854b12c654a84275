#include "cafmcp/actors/monitoring/availability_window.hpp"

namespace cafmcp::monitoring {

availability_window::availability_window(totals_fn totals, std::chrono::milliseconds window,
                                         std::uint64_t min_requests)
    : totals_(std::move(totals)), window_(window), min_requests_(min_requests) {}

std::optional<double> availability_window::operator()() {
  return at(clock::now());
}

std::optional<double> availability_window::at(clock::time_point now) {
  if (!totals_)
    return std::nullopt;
  auto [all, failed] = totals_();
  std::lock_guard<std::mutex> guard{mtx_};
  points_.push_back({now, all, failed});
  // Keep the newest point at least `window` old as the window's start.
  while (points_.size() > 2 && now - points_[1].at >= window_)
    points_.pop_front();
  auto& first = points_.front();
  auto requests = all - first.all;
  if (requests < min_requests_ || requests == 0)
    return std::nullopt;
  auto bad = failed - first.failed;
  return 1.0 - static_cast<double>(bad) / static_cast<double>(requests);
}

} // namespace cafmcp::monitoring
