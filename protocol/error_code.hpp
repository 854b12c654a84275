#pragma once

// JSON-RPC 2.0 and MCP error codes (checklist §1 "Error codes").

#include <string_view>

namespace cafmcp::protocol::error_code {

// JSON-RPC 2.0 (https://www.jsonrpc.org/specification#error_object).
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;

// MCP 2025-11-25. Resource-not-found lives in the implementation-defined
// server-error range; 2026-07-28 replaces it with -32602 (see revision_traits).
inline constexpr int resource_not_found = -32002;
// URL-mode elicitation must finish before the request can be retried;
// data.elicitations[] lists them.
inline constexpr int url_elicitation_required = -32042;

// The implementation-defined range of JSON-RPC. The TypeScript SDK's
// Streamable HTTP server answers -32000 for transport-level "Bad Request: ..."
// (HTTP 400) and -32001 for "Session not found" (HTTP 404); we keep the same
// numbers so clients written against it recognise them.
inline constexpr int server_error_first = -32099;
inline constexpr int server_error_last = -32000;
inline constexpr int bad_request = -32000;
inline constexpr int session_not_found = -32001;

// The short message JSON-RPC suggests for a code, or "Server error" for the
// implementation-defined range, or "Error" for anything else.
constexpr std::string_view default_message(int code) noexcept {
  switch (code) {
  case parse_error:
    return "Parse error";
  case invalid_request:
    return "Invalid Request";
  case method_not_found:
    return "Method not found";
  case invalid_params:
    return "Invalid params";
  case internal_error:
    return "Internal error";
  case resource_not_found:
    return "Resource not found";
  case url_elicitation_required:
    return "URL elicitation required";
  default:
    if (code >= server_error_first && code <= server_error_last)
      return "Server error";
    return "Error";
  }
}

} // namespace cafmcp::protocol::error_code
