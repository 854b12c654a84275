#pragma once
// `cafmcp-node --profile conformance`: what the node serves for the official
// MCP conformance suite (docs conformance-fixtures.md). The fixture set of
// actors/mcp, plus test_reconnection, which only makes sense together with
// the Streamable HTTP listener's SSE polling (listener_config::sse_poll_after):
// the call outlives the poll time, its POST stream is closed after the
// priming event and the result reaches the client on its GET + Last-Event-ID.

#include <chrono>
#include <memory>

#include <caf/expected.hpp>

#include "cafmcp/actors/mcp/server_config.hpp"

namespace cafmcp::app {

// How long an unanswered POST keeps its connection under this profile.
inline constexpr std::chrono::milliseconds conformance_poll_after{300};

// A server configuration with every conformance fixture registered.
caf::expected<std::shared_ptr<mcp::server_config>> conformance_server();

} // namespace cafmcp::app
