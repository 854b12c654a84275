#pragma once
// Error codes of the MCP server side (category "mcp"), as caf::error values.
// Wire errors (JSON-RPC codes) stay protocol::rpc_error; these are the errors
// the C++ API hands back to embedders and handlers: a refused registration,
// a server->client request that timed out, a session that is gone.

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace cafmcp::mcp {

enum class mcp_errc : uint8_t {
  none = 0,
  // Registration: the definition breaks an MCP rule (name, schema, URI).
  invalid_definition,
  // Registration: a tool/prompt name or resource URI is already taken.
  duplicate_definition,
  // Broker: no live session has this id.
  session_not_found,
  // Broker: the node refuses more sessions.
  at_capacity,
  // Server->client request: no answer within its timeout.
  request_timeout,
  // Server->client request: the request it belonged to was cancelled.
  request_cancelled,
  // Server->client request: the client did not declare the capability
  // (sampling, sampling.tools, elicitation form/url, roots) or the
  // negotiated revision lacks the feature.
  capability_missing,
  // Server->client request: the client answered with a JSON-RPC error; the
  // context holds its code and message.
  client_error,
  // The session ended while the request was pending.
  session_closed,
  // The lifecycle forbids the message now (e.g. a request to the client
  // before notifications/initialized).
  not_allowed_yet,
  // Parameters the server refuses to send (e.g. an off-spec elicitation schema).
  invalid_request,
  // The session could not produce a secure session id.
  no_entropy,
  // A blocking server->client request from a cooperative handler, which runs
  // on its session actor and would wait for the actor it blocks.
  blocking_in_cooperative,
};

std::string to_string(mcp_errc x);

// "mcp: request_timeout (sampling/createMessage)": the code plus the context
// for any caf::error of this category; other errors via caf::to_string.
std::string describe(const caf::error& err);

// Lets an actor system render these errors by name.
void add_error_category(caf::actor_system_config& cfg);

} // namespace cafmcp::mcp

CAF_ERROR_CODE_ENUM(cafmcp::mcp::mcp_errc, "mcp")
