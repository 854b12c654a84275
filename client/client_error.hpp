// What can go wrong for an MCP client, as values. Every failure a caller sees
// is a caf::error of category "mcp_client" with one of these codes; its
// context carries (detail text, JSON-RPC code, error data as JSON text, HTTP
// status) so failure_of() can give them back without parsing strings.
#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>

#include <nlohmann/json.hpp>

namespace cafmcp::client {

enum class client_errc : std::uint8_t {
  // 0 is "no error" in CAF's error model, so codes start at 1.
  connection_refused = 1, // nothing listens there (or the child process could not start)
  connection_lost,        // the connection (or child process) went away mid-session
  timeout,                // no answer within the request (or connect) timeout
  http_status,            // an HTTP status other than 200/202; http_status says which
  session_expired,        // HTTP 404 on a session id: initialize again (connect())
  rpc_error,              // the server answered with a JSON-RPC error object
  malformed_response,     // the server sent something that is not a usable answer
  closed,                 // the client was closed while the request was pending
  not_connected,          // a request before connect() or after the connection ended
  unsupported_version,    // initialize negotiated a version this client does not speak
  invalid_config,         // the client_config cannot work (empty command, bad kind)
};

std::string to_string(client_errc code);

// The category atom (at most 10 characters) of our errors.
constexpr caf::atom_value client_error_category = caf::atom("mcp_client");

// Lets `sys.render(err)` print our errors as "mcp_client: timeout (...)".
void add_client_error_category(caf::actor_system_config& cfg);

caf::error make_client_error(client_errc code, std::string detail, std::int64_t rpc_code = 0,
                             std::string data_json = {}, int http_status = 0);

// True when `err` carries `code` of our category.
bool is(const caf::error& err, client_errc code);

// A failure taken apart: what the caller usually branches on.
struct client_failure {
  client_errc kind = client_errc::malformed_response;
  std::string message;       // the detail, or the JSON-RPC error message
  std::int64_t rpc_code = 0; // the JSON-RPC code for rpc_error
  nlohmann::json data;       // the JSON-RPC error data (null when absent)
  int http_status = 0;       // for http_status and session_expired
};

// Any caf::error (ours, or CAF's request_timeout / broken promise) as a
// client_failure; CAF's own errors become timeout or connection_lost.
client_failure failure_of(const caf::error& err);

std::string to_string(const client_failure& f);

} // namespace cafmcp::client
