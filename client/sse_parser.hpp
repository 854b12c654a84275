// Incremental text/event-stream parsing (WHATWG server-sent events), for the
// Streamable HTTP and legacy SSE wires. Bytes arrive in arbitrary pieces.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cafmcp::client::detail {

struct sse_event {
  std::string id;    // empty: the event had no id field
  std::string event; // empty: "message"
  std::string data;  // data lines joined by '\n'
  std::optional<long> retry;
};

class sse_parser {
public:
  explicit sse_parser(std::size_t max_event_bytes = 16 * 1024 * 1024) : max_(max_event_bytes) {}

  // Appends bytes; returns the events they completed. An event without any
  // field (a lone blank line, comments only) is not returned.
  std::vector<sse_event> feed(std::string_view bytes);

  // True once an event grew beyond the bound; the stream is unusable then.
  bool overflow() const noexcept { return overflow_; }

private:
  void line(std::string_view text, std::vector<sse_event>& out);

  std::size_t max_;
  bool overflow_ = false;
  std::string partial_;
  sse_event current_;
  bool has_field_ = false;
  bool has_data_ = false;
};

} // namespace cafmcp::client::detail
