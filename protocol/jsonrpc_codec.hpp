#pragma once

// Bytes <-> JSON-RPC 2.0 messages (checklist §1 base protocol).
//
// decode() accepts exactly one UTF-8 JSON object and never throws: malformed
// input becomes the error the peer should receive.
//   -32700 parse error      invalid UTF-8 (reason "invalid_utf8") or invalid
//                           JSON (reason "invalid_json", data.detail says where)
//   -32600 invalid request  anything that is JSON but not a valid message:
//                           wrong "jsonrpc", null/float/bool id, missing or
//                           non-string method, params not an object/array,
//                           both or neither of result/error, a malformed error
//                           object, a non-object, and a batch array (reason
//                           "batch_not_supported": batching was removed in
//                           2025-06-18).
//   -32600 too large        input over max_message_bytes (reason
//                           "message_too_large", data.max_bytes, data.size) or
//                           nested deeper than max_depth (reason
//                           "nesting_too_deep"). We refuse before parsing, so
//                           the bytes were never "invalid JSON": -32600 ("we
//                           will not accept this request") fits better than
//                           -32700. Transports may map it to HTTP 413.
// Every error carries data.reason, a stable tag (see rpc_error.hpp):
//   parse:   invalid_utf8 invalid_json
//   shape:   not_an_object batch_not_supported empty_batch
//            invalid_jsonrpc_version null_id invalid_id invalid_method
//            invalid_params result_in_request result_and_error
//            missing_method_result_error invalid_error_object
//   limits:  message_too_large nesting_too_deep
// An invalid message that has no id (e.g. a malformed notification) still
// yields a decode_error; JSON-RPC 2.0 says to answer it with "id": null, and
// whether to do so is the caller's choice.

#include "cafmcp/protocol/message.hpp"
#include "cafmcp/protocol/message_id.hpp"
#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cafmcp::protocol {

struct decode_options {
  // Bigger messages are refused before any parsing (memory and CPU bound).
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  // Deeper nesting is refused: encoding and schema validation recurse per
  // level, so unbounded depth would let a peer exhaust the stack.
  std::size_t max_depth = 128;
};

// Why a message was refused, plus its id when the id could be read, so the
// error reply can carry it (MCP: "an error may omit the id only if it could
// not be read").
struct decode_error {
  rpc_error error;
  std::optional<message_id> id;
};

using decode_result = result<message, decode_error>;

// One message (the only framing MCP 2025-06-18 and later allow).
decode_result decode(std::string_view bytes, const decode_options& options = {});

// Classifies an already-parsed JSON value; decode() ends here too.
decode_result decode_value(const nlohmann::json& value);

// For 2025-03-26 sessions only (revision_traits::allows_batching): accepts a
// single object (one-element result) or a non-empty array, each element
// decoded on its own. An empty array is -32600 (reason "empty_batch"), as
// JSON-RPC 2.0 prescribes.
using batch_decode_result = result<std::vector<decode_result>, decode_error>;
batch_decode_result decode_batch(std::string_view bytes, const decode_options& options = {});

// A string or an integer (within int64), else nothing. Also reads progress
// tokens, which have the same type.
std::optional<message_id> message_id_from_json(const nlohmann::json& value);

// Compact JSON text, one message, no trailing newline. Never throws: invalid
// UTF-8 inside strings is replaced by U+FFFD rather than refused.
std::string encode(const message& msg);
std::string encode(const request& msg);
std::string encode(const notification& msg);
std::string encode(const response& msg);
std::string encode(const error_response& msg);
// A JSON array of messages (2025-03-26 batch replies).
std::string encode_batch(const std::vector<message>& msgs);

// The reply a peer should get for a message that failed to decode.
inline error_response to_error_response(const decode_error& e) {
  return error_response{e.id, e.error};
}

// nlohmann::json conversions, found by ADL (`nlohmann::json j = req;`).
void to_json(nlohmann::json& j, const message_id& id);
void to_json(nlohmann::json& j, const request& msg);
void to_json(nlohmann::json& j, const notification& msg);
void to_json(nlohmann::json& j, const response& msg);
void to_json(nlohmann::json& j, const error_response& msg);
void to_json(nlohmann::json& j, const message& msg);

} // namespace cafmcp::protocol
