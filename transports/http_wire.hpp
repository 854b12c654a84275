#pragma once
// HTTP/1.1 and SSE bytes, written by hand (no Beast here): the connections
// write these strings from their bounded queues.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cafmcp/transports/ports.hpp"

namespace cafmcp::transports {

std::string_view status_text(int status) noexcept;

/// A complete response with Content-Length. `keep_alive` false adds
/// `Connection: close`.
std::string format_response(int status, const header_list& headers, std::string_view body,
                            bool keep_alive);

/// The head of a streamed response: chunked for HTTP/1.1, close-delimited
/// for HTTP/1.0 (`chunked` false).
std::string format_stream_head(int status, const header_list& headers, bool chunked);

/// One chunk / the last chunk of a chunked body.
std::string format_chunk(std::string_view data);
std::string_view last_chunk() noexcept;

/// One SSE event: `id:` (if any), `event:` (if any), one `data:` line per line
/// of `data` (an empty `data` still gives one empty `data:` line), blank line.
std::string format_sse_event(std::string_view id, std::string_view event, std::string_view data);

/// A `retry:` field line, to prefix an event with (the priming event).
std::string format_sse_retry(std::chrono::milliseconds retry);

/// `{"jsonrpc":"2.0","error":{"code":..,"message":..},"id":<id or null>}`.
/// `id_json` is JSON text of the id, empty for null.
std::string jsonrpc_error_body(int code, std::string_view message, std::string_view id_json = {});

/// Decodes %XX and '+' of a query component; nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view in);

} // namespace cafmcp::transports
