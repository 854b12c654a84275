#pragma once
// A quick look at one JSON-RPC message without building a DOM: its kind, its
// id (as JSON text, the form session_protocol.hpp uses for related_request)
// and its method. Transports need this to route (HTTP streams, 202s) and to
// know which requests are in flight; full decoding stays in the server actor.

#include <string>
#include <string_view>

namespace cafmcp::transports {

enum class peek_kind {
  request,      ///< method + id
  notification, ///< method, no id
  response,     ///< id + result or error, no method
  invalid_json, ///< not JSON at all (the peer gets -32700)
  batch,        ///< a top-level array (batching was removed in 2025-06-18)
  invalid,      ///< JSON, but no JSON-RPC message shape
};

struct peeked_message {
  peek_kind kind = peek_kind::invalid;
  /// Compact JSON text of the id ("7", "\"abc\"", "null"); empty if absent.
  std::string id;
  std::string method;
};

peeked_message peek_message(std::string_view json);

/// The same for a message a session's own server wrote (valid by
/// construction): the envelope protocol::encode writes is read directly,
/// anything else is parsed only until its kind and id are known; a
/// response's result is never scanned. Not for untrusted input, as it does
/// not validate what it skips.
peeked_message peek_outbound(std::string_view json);

} // namespace cafmcp::transports
