#pragma once
// The admission side of a connection's bounded outbound queue: callers on any
// thread reserve room before posting a message to the connection's strand,
// so the queue can never pass its bound, however slow the io thread is.

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace cafmcp::transports::detail {

class outbound_budget {
public:
  outbound_budget(std::uint64_t max_messages, std::uint64_t max_bytes)
      : max_messages_(max_messages), max_bytes_(max_bytes) {}

  /// Reserves room for one message of `bytes`; false when a bound would be passed.
  bool admit(std::size_t bytes) noexcept {
    auto m = messages_.fetch_add(1) + 1;
    auto b = bytes_.fetch_add(bytes) + bytes;
    if (m > max_messages_ || b > max_bytes_) {
      messages_.fetch_sub(1);
      bytes_.fetch_sub(bytes);
      return false;
    }
    return true;
  }
  void release(std::size_t bytes) noexcept {
    messages_.fetch_sub(1);
    bytes_.fetch_sub(bytes);
  }
  std::uint64_t bytes() const noexcept { return bytes_.load(); }

private:
  std::atomic<std::uint64_t> messages_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::uint64_t max_messages_;
  std::uint64_t max_bytes_;
};

} // namespace cafmcp::transports::detail
