#pragma once
// Counts the open connections of one transport (limits.max_connections). The
// counter outlives listener restarts; each connection holds a slot, which
// also lists it with its io_runner.

#include <atomic>
#include <cstdint>
#include <memory>

#include "cafmcp/transports/io_runner.hpp"

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

/// What a connection holds of the world around it, for as long as it lives:
/// one acquired unit of its transport's counter, given back early at close
/// (release_count), and its entry in the io_runner's list of live
/// connections, held until the connection is destroyed. Declare it as a
/// connection's first member, so that it is destroyed last: stop() may
/// return once the entry is gone. Movable (a WebSocket upgrade hands it on).
class connection_slot {
public:
  connection_slot() = default;
  connection_slot(std::shared_ptr<connection_counter> c, io_runner::connection_entry e)
      : entry_(std::move(e)), c_(std::move(c)) {}
  connection_slot(connection_slot&&) noexcept = default;
  connection_slot& operator=(connection_slot&& other) noexcept {
    release_count();
    entry_ = std::move(other.entry_);
    c_ = std::move(other.c_);
    return *this;
  }
  ~connection_slot() { release_count(); }

  /// The connection io_runner::stop() closes (after make_shared, and again
  /// by whoever takes the slot over).
  void bind(std::weak_ptr<io_runner::stoppable> connection) { entry_.bind(std::move(connection)); }

  void release_count() {
    if (c_)
      c_->release();
    c_.reset();
  }

private:
  io_runner::connection_entry entry_;
  std::shared_ptr<connection_counter> c_;
};

} // namespace cafmcp::transports::detail
