#pragma once
// The params of `initialize` (checklist §2 lifecycle), read without trusting
// the peer: what the session needs to negotiate a version and remember the
// client. Kept in protocol/ so it is unit-tested and fuzzed without actors.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

namespace cafmcp::protocol {

struct initialize_params {
  std::string requested_version; // as sent; negotiate() decides what to answer
  nlohmann::json capabilities = nlohmann::json::object();
  nlohmann::json client_info; // an object, or null when absent
};

// -32602 (reason "invalid_initialize", the message says which member) when
// params is not an object, protocolVersion is not a string, or capabilities
// or clientInfo are present but not objects. Unknown members are ignored.
result<initialize_params, rpc_error>
parse_initialize_params(const std::optional<nlohmann::json>& params);

} // namespace cafmcp::protocol
