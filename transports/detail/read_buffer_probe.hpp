#pragma once
// Lets a test ask a connection how many bytes of read buffer it holds (issue
// #8: an idle connection must hold none beyond its unfinished message).
// Nothing in the server depends on it. The answer comes on the connection's
// strand, so asking never races with its reads.

#include <cstddef>
#include <functional>

namespace cafmcp::transports::detail {

class read_buffer_probe {
public:
  /// `report` runs on the io thread with the capacity, in bytes, of every
  /// buffer the connection keeps for reading (a string's inline storage
  /// included).
  virtual void probe_read_buffers(std::function<void(std::size_t)> report) = 0;

protected:
  ~read_buffer_probe() = default;
};

} // namespace cafmcp::transports::detail
