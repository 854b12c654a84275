#pragma once

// The four JSON-RPC 2.0 message shapes MCP uses (checklist §1). A message is
// exactly one of them; the codec (jsonrpc_codec.hpp) turns bytes into these
// and back.

#include "cafmcp/protocol/message_id.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>

namespace cafmcp::protocol {

// Expects exactly one response carrying the same id.
struct request {
  message_id id;
  std::string method;
  // An object or an array when present (MCP itself only uses objects).
  std::optional<nlohmann::json> params;
};

// Has no id, and the receiver must never reply to it.
struct notification {
  std::string method;
  std::optional<nlohmann::json> params;
};

// A successful reply.
struct response {
  message_id id;
  nlohmann::json result;
};

// A failed reply. The id is absent only when the request's id could not be
// read (parse error, or an invalid request without a usable id); it is then
// encoded as "id": null.
struct error_response {
  std::optional<message_id> id;
  rpc_error error;
};

using message = std::variant<request, notification, response, error_response>;

inline bool operator==(const request& a, const request& b) {
  return a.id == b.id && a.method == b.method && a.params == b.params;
}
inline bool operator==(const notification& a, const notification& b) {
  return a.method == b.method && a.params == b.params;
}
inline bool operator==(const response& a, const response& b) {
  return a.id == b.id && a.result == b.result;
}
inline bool operator==(const error_response& a, const error_response& b) {
  return a.id == b.id && a.error == b.error;
}

} // namespace cafmcp::protocol
