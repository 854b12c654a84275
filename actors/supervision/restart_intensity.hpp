#pragma once
// OTP's restart intensity: a supervisor may restart at most `intensity`
// children within any `period`; one more and it gives up (escalates).

#include <chrono>
#include <deque>

namespace cafmcp::supervision {

class restart_intensity {
public:
  using clock = std::chrono::steady_clock;

  restart_intensity(int intensity, std::chrono::milliseconds period)
      : intensity_(intensity), period_(period) {}

  // Records a restart at `now`; false when that makes more than `intensity`
  // restarts within the last `period` (OTP's reached_max_restart_intensity).
  bool add_restart(clock::time_point now) {
    restarts_.push_back(now);
    while (!restarts_.empty() && now - restarts_.front() >= period_)
      restarts_.pop_front();
    return static_cast<int>(restarts_.size()) <= intensity_;
  }

  size_t recent() const noexcept { return restarts_.size(); }

private:
  int intensity_;
  std::chrono::milliseconds period_;
  std::deque<clock::time_point> restarts_;
};

} // namespace cafmcp::supervision
