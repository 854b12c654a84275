#pragma once
// The tool that load generators call (the chaos runner, the benchmarks): a
// node started with the loadtest profile registers it, and embedders that run
// load in-process use it too.
//
//   echo {"text": string} -> content [{type: text, text}] and
//                            structuredContent {text, session}
// The session id in the answer lets a load generator learn which session (and
// so which pool) served it, on transports that show the client no session id
// (WebSocket, TCP).

#include <caf/expected.hpp>

#include "cafmcp/actors/mcp/feature_registry.hpp"

namespace cafmcp::mcp::load {

caf::expected<void> register_fixtures(feature_registry& features);

} // namespace cafmcp::mcp::load
