#pragma once
// Plain settings of one transport listener. app/ fills them from node_config
// (transports sit below app/ and never read its types); every field has the
// node's built-in default.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cafmcp/transports/sse_event_store.hpp"

namespace cafmcp::transports {

using std::chrono::milliseconds;

/// Limits applied to every connection of a transport (limits.* in the config).
struct transport_limits {
  /// One JSON-RPC message (a line, a WebSocket message, an HTTP body).
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  /// Open TCP connections of one transport (HTTP, WS and TCP alike).
  std::uint32_t max_connections = 15000;
  /// No inbound byte for this long on an idle connection closes it. For
  /// WebSocket it is Beast's idle timeout (ping at half of it).
  milliseconds idle_timeout{300000};
  /// An HTTP request header (or a TLS / WebSocket handshake) must arrive
  /// completely within this time from its first byte (slowloris).
  milliseconds header_timeout{10000};
  /// An HTTP body, a partial line, or one outbound write must complete within it.
  milliseconds read_timeout{30000};
  /// The bounded outbound queue of one connection: passing either bound
  /// disconnects the client (it stopped reading).
  std::uint32_t outbound_queue_max_messages = 1024;
  std::uint64_t outbound_queue_max_bytes = 16 * 1024 * 1024;
  /// The largest HTTP request header block.
  std::size_t max_header_bytes = 16 * 1024;
};

/// DNS-rebinding protection for the HTTP based transports (checklist §6
/// "Origin"). Empty lists mean the loopback defaults: localhost, 127.0.0.1
/// and [::1] with any port. An entry "*" accepts anything.
struct origin_policy_config {
  /// Host header values: "example.com" (any port) or "example.com:8080".
  std::vector<std::string> allowed_hosts;
  /// Origin header values, exact: "https://app.example.com" (any port), or
  /// with a port. A request without Origin is always accepted.
  std::vector<std::string> allowed_origins;
};

/// TLS from PEM files; both empty means plain TCP.
struct tls_files {
  std::string cert_file;
  std::string key_file;
  bool enabled() const { return !cert_file.empty(); }
};

/// What an HTTP listener serves. Each configured transport gets its own
/// listener, but one listener may serve several routes.
struct http_routes {
  bool streamable = true; ///< Streamable HTTP (2025-11-25) at mcp_path
  std::string mcp_path = "/mcp";
  bool legacy_sse = false; ///< HTTP+SSE (2024-11-05): GET sse_path, POST messages_path
  std::string sse_path = "/sse";
  std::string messages_path = "/messages";
  bool websocket = false; ///< WebSocket (subprotocol "mcp") at ws_path
  std::string ws_path = "/ws";
};

enum class listener_kind : std::uint8_t {
  tcp,  ///< newline-delimited JSON-RPC
  http, ///< Beast HTTP: streamable, legacy SSE and/or WebSocket per `routes`
};

struct listener_config {
  /// For reports and the node's startup line, e.g. "http", "ws", "tcp".
  std::string name = "http";
  listener_kind kind = listener_kind::http;
  std::string host = "127.0.0.1";
  /// 0 picks a free port once; restarts of the listener rebind that port.
  std::uint16_t port = 0;
  transport_limits limits;
  http_routes routes;
  origin_policy_config origins;
  tls_files tls;
  /// The SSE `retry:` field sent with every priming event.
  milliseconds sse_retry{3000};
  /// An SSE comment (": keepalive") on every open SSE stream this often, so
  /// proxies and clients see an idle stream is alive; 0 disables it.
  milliseconds sse_keepalive{15000};
  /// SSE polling (SEP-1699): a POSTed request still unanswered after this
  /// long, with nothing sent for it yet, gets an SSE response with only the
  /// priming event, and the connection is closed; the client resumes with GET
  /// + Last-Event-ID and receives the rest there. 0 (the default) disables it.
  milliseconds sse_poll_after{0};
  /// Where Streamable HTTP stores its SSE events: the node's sse_event_store
  /// service when set, else a store given to transport::make, else a bounded
  /// in-memory store of its own.
  event_store_service event_store;
  /// Bounds of the built-in event store (when no store is given).
  std::size_t event_store_max_events_per_stream = 1000;
  /// How long a transport waits for the broker to open a session.
  milliseconds open_timeout{10000};
};

} // namespace cafmcp::transports
