#pragma once
// The JSON-RPC texts the load generator sends, and the checks of what comes
// back. Echo answers are checked by substring (id, result, the unique echoed
// text): parsing every answer with a DOM would cost the load generator more
// CPU than some servers spend answering, and both share this machine.

#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

inline constexpr const char protocol_version[] = "2025-11-25";

std::string initialize_request(std::uint64_t id);
std::string initialized_notification();
std::string ping_request(std::uint64_t id);
// tools/call of `echo` with {"text": text}.
std::string echo_request(std::uint64_t id, std::string_view text);

// Empty when `body` is an initialize result; else what is wrong. Sets the
// negotiated version.
std::string check_initialize(std::string_view body, std::string& version);
// A JSON-RPC success for `id` carrying `"text":"<text>"`, and no isError.
bool is_echo_result(std::string_view body, std::uint64_t id, std::string_view text);
// A JSON-RPC success for `id`.
bool is_result(std::string_view body, std::uint64_t id);
// Whether a message is a response (has an id and a result or error), as
// opposed to a notification or a server->client request.
bool is_response(std::string_view body);

} // namespace loadgen
