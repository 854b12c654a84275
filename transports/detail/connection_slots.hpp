#pragma once
// Counts the open connections of one transport (limits.max_connections). The
// counter outlives listener restarts; each connection holds a slot.

#include <atomic>
#include <cstdint>
#include <memory>

namespace cafmcp::transports::detail {

class connection_counter {
public:
  explicit connection_counter(std::uint32_t max) : max_(max) {}
  bool try_acquire() noexcept {
    auto n = count_.fetch_add(1) + 1;
    if (n > max_) {
      count_.fetch_sub(1);
      return false;
    }
    return true;
  }
  void release() noexcept { count_.fetch_sub(1); }
  std::uint32_t current() const noexcept { return count_.load(); }

private:
  std::atomic<std::uint32_t> count_{0};
  std::uint32_t max_;
};

/// Owns one acquired unit of a counter; movable.
class connection_slot {
public:
  connection_slot() = default;
  explicit connection_slot(std::shared_ptr<connection_counter> c) : c_(std::move(c)) {}
  connection_slot(connection_slot&&) noexcept = default;
  connection_slot& operator=(connection_slot&& other) noexcept {
    reset();
    c_ = std::move(other.c_);
    return *this;
  }
  ~connection_slot() { reset(); }
  void reset() {
    if (c_)
      c_->release();
    c_.reset();
  }

private:
  std::shared_ptr<connection_counter> c_;
};

} // namespace cafmcp::transports::detail
