#pragma once
// A token bucket: `rate` tokens per second, at most `burst` saved up. Used per
// session to rate-limit tool invocations and log notifications (checklist §4
// asks servers to rate-limit both). Not thread-safe: it lives in one actor.

#include <algorithm>
#include <chrono>

namespace cafmcp::mcp {

class token_bucket {
public:
  using clock = std::chrono::steady_clock;

  // rate <= 0 disables the limit.
  token_bucket(double rate, double burst)
      : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(std::max(burst, 1.0)) {}

  bool take(clock::time_point now = clock::now()) {
    if (rate_ <= 0)
      return true;
    if (started_) {
      std::chrono::duration<double> dt = now - last_;
      tokens_ = std::min(burst_, tokens_ + dt.count() * rate_);
    }
    started_ = true;
    last_ = now;
    if (tokens_ < 1.0)
      return false;
    tokens_ -= 1.0;
    return true;
  }

private:
  double rate_;
  double burst_;
  double tokens_;
  bool started_ = false;
  clock::time_point last_{};
};

} // namespace cafmcp::mcp
