#pragma once
// Everything the sessions of one node share: who the server is, its
// features, where subscriptions live, and the limits each session enforces.
// Built once by the application and handed (as shared_ptr<const>) to the
// broker, which passes it to every session it opens.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/timespan.hpp>

#include "cafmcp/actors/mcp/feature_registry.hpp"
#include "cafmcp/actors/mcp/session_info.hpp"
#include "cafmcp/actors/mcp/subscription_port.hpp"
#include "cafmcp/actors/mcp/task_backend.hpp"
#include "cafmcp/protocol/icon.hpp"
#include "cafmcp/protocol/jsonrpc_codec.hpp"
#include "cafmcp/protocol/log_level.hpp"
#include "cafmcp/protocol/protocol_version.hpp"

namespace cafmcp::mcp {

// InitializeResult.serverInfo (schema.ts Implementation).
struct implementation_info {
  std::string name = "cafmcp";
  std::string title;
  std::string version = "0.1.0";
  std::string description;
  std::string website_url;
  std::vector<protocol::icon> icons;
};

struct session_options {
  // Size and depth limits for every inbound message.
  protocol::decode_options decode;
  // Items per page of tools/list, resources/list, templates and prompts.
  std::size_t page_size = 100;
  // Default timeout of server->client requests (sampling, elicitation, roots).
  caf::timespan client_request_timeout = std::chrono::seconds{60};
  // Requests a session runs at once; beyond that a request is refused with
  // -32000 instead of queueing without bound.
  std::size_t max_in_flight = 64;
  // resources/subscribe URIs per session.
  std::size_t max_subscriptions = 1000;
  // tools/call rate limit per session (token bucket); 0 disables it.
  double tool_calls_per_second = 0;
  double tool_call_burst = 20;
  // notifications/message rate limit per session; excess messages are
  // dropped (and counted). 0 disables it.
  double log_messages_per_second = 200;
  double log_message_burst = 400;
  // The log threshold before the client sends logging/setLevel. The spec
  // leaves it open; like the TypeScript SDK we send everything until told.
  protocol::log_level initial_log_level = protocol::log_level::debug;
  // Liveness (checklist §4 "Ping": periodic pings are configurable): once
  // initialized, ping the client every ping_interval; a ping unanswered
  // within ping_timeout ends the session (session_closed_atom to the sink
  // with mcp_errc::request_timeout). Zero disables it, the default: most
  // transports notice a dead peer themselves.
  caf::timespan ping_interval{0};
  caf::timespan ping_timeout = std::chrono::seconds{10};
  // Revisions this node negotiates; empty means every supported one.
  std::vector<protocol::protocol_version> versions;
};

struct server_config {
  implementation_info info;
  std::string instructions; // InitializeResult.instructions; empty: omitted
  std::shared_ptr<feature_registry> features = std::make_shared<feature_registry>();
  std::shared_ptr<subscription_port> subscriptions = std::make_shared<local_subscriptions>();
  // Null: no tasks capability (see task_backend.hpp).
  std::shared_ptr<task_backend> tasks;
  session_options options;
  // Called on the session actor when a client sends
  // notifications/roots/list_changed (checklist §4 "Roots": react to it);
  // must be quick. A handler that needs the new roots asks with list_roots.
  std::function<void(const session_info&)> on_roots_list_changed;
};

} // namespace cafmcp::mcp
