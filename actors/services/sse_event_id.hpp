// SSE event ids of the Streamable HTTP transport's resumability: "<stream>:<seq>".
//
// Why this form: the spec wants ids globally unique across all streams of a session and asks
// that they encode the stream, because a client resumes with GET + Last-Event-ID whichever
// stream it lost, and only that stream's messages may be replayed. `seq` comes from one counter
// of the whole event store, so ids never repeat across streams or sessions, and within a stream
// they increase. Parsing splits at the last ':', so a stream id may itself contain ':'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cafmcp::services {

struct sse_event_id {
  std::string stream;
  std::uint64_t seq = 0;
};

std::string format_event_id(std::string_view stream, std::uint64_t seq);

// Nothing unless `text` is "<non-empty stream>:<decimal seq>".
std::optional<sse_event_id> parse_event_id(std::string_view text);

// Stream ids: 1 to 128 visible ASCII characters (0x21-0x7E), so that ids are safe in an SSE
// `id:` field (no CR, LF, NUL or spaces) and in headers.
bool valid_stream_id(std::string_view stream) noexcept;

} // namespace cafmcp::services
