// Everything one client session needs: where to connect, how, what to
// announce in initialize, and the callbacks for what the server sends on its
// own (notifications and server->client requests).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cafmcp/client/responder.hpp"

namespace cafmcp::client {

struct client_failure;

enum class client_transport {
  stdio,     // spawn `command`, JSON-RPC lines on its stdin/stdout
  tcp,       // newline-delimited JSON-RPC
  http,      // Streamable HTTP (2025-11-25): POST/GET/DELETE on `path` (default /mcp)
  sse,       // legacy HTTP+SSE (2024-11-05): GET `path` (default /sse), POST /messages
  websocket, // GET `path` (default /ws) upgraded, subprotocol "mcp"
};

std::string to_string(client_transport kind);

// Called on the client actor's thread: keep them short, never block. Unset
// handlers are not announced as capabilities, and their requests are
// answered with -32601.
struct client_handlers {
  // Every notification the server sends (progress, message, list_changed,
  // resources/updated, ...), with its params (null when absent).
  std::function<void(const std::string& method, const nlohmann::json& params)> notification;
  // sampling/createMessage; announces capability "sampling".
  std::function<void(const nlohmann::json& params, responder reply)> sampling;
  // elicitation/create; announces capability "elicitation" (form and url).
  std::function<void(const nlohmann::json& params, responder reply)> elicitation;
  // roots/list; announces capability "roots".
  std::function<void(const nlohmann::json& params, responder reply)> roots;
  // The connection ended without close() (server gone, stream dropped).
  std::function<void(const client_failure& why)> disconnected;
};

struct client_config {
  client_transport transport = client_transport::http;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // HTTP and WebSocket path; empty means the default of the transport.
  std::string path;
  // stdio: the program and its arguments (argv[0] is searched in PATH).
  std::vector<std::string> command;
  // stdio: let the child write to our stderr (else it goes to /dev/null).
  bool inherit_stderr = false;

  std::string protocol_version = "2025-11-25";
  nlohmann::json client_info = {{"name", "cafmcp-client"}, {"version", "0.1.0"}};
  // Merged over the capabilities derived from the handlers.
  nlohmann::json capabilities = nlohmann::json::object();

  // Default deadline of a request (each call may give its own), and of
  // connect + initialize.
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};

  // Streamable HTTP: open the standalone GET stream after initialize (server
  // notifications and requests that belong to no request arrive there).
  bool open_get_stream = false;
  // Streamable HTTP: how often a dropped SSE stream is resumed (GET with
  // Last-Event-ID) before its request fails with connection_lost.
  int max_stream_resumes = 3;
  // Bigger incoming messages end the connection (malformed_response).
  std::size_t max_message_bytes = 16 * 1024 * 1024;

  client_handlers handlers;

  std::string effective_path() const;
};

} // namespace cafmcp::client
