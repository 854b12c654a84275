#pragma once
// The tools, resources, resource templates and prompts that the official MCP
// conformance suite (npm @modelcontextprotocol/conformance, server mode)
// calls, with the exact payloads of its reference server
// (examples/servers/typescript/everything-server.ts; see
// docs conformance-fixtures.md). A node started with the conformance profile
// registers these on its feature registry; the tests use them too.
//
// Not here: what the suite checks of the transport (SSE streams, Origin
// checks, session ids), and test_reconnection, which needs the Streamable
// HTTP transport to close a stream mid-call.

#include <caf/expected.hpp>

#include "cafmcp/actors/mcp/feature_registry.hpp"

namespace cafmcp::mcp::conformance {

// The reference server's 1x1 PNG and WAV, base64.
extern const char* const png_base64;
extern const char* const wav_base64;

// Registers every fixture; fails (and registers what came before) if a name
// is already taken.
caf::expected<void> register_fixtures(feature_registry& features);

} // namespace cafmcp::mcp::conformance
