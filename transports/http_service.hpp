#pragma once
// The HTTP application behind an HTTP listener, without any Beast: request
// validation and routing for Streamable HTTP (2025-11-25), legacy HTTP+SSE
// (2024-11-05) and the WebSocket upgrade, plus the per-session actors.
//
// Streamable HTTP, per MCP session one actor (the session's sink):
//  * POST initialize (no Mcp-Session-Id) spawns it; it opens the session at
//    the broker and answers with the broker's session id in Mcp-Session-Id.
//  * Every POSTed request gets its own stream. The response mode is chosen
//    lazily, before the first byte: if the first message the server sends for
//    the request is its response, the answer is plain JSON; if anything else
//    comes first (progress, log, a server->client request), the answer becomes
//    SSE: priming event (id + empty data, after a `retry:` field), the
//    messages, the response, end of stream. Clients must accept both anyway.
//  * Messages related to no open request go to the standalone GET stream
//    (at most one per session, 409 for a second), never responses.
//  * Every SSE event is stored (sse_event_store) before it is written; GET
//    with Last-Event-ID replays exactly that stream after the id and then
//    attaches the new connection to the stream if it is still open. Unknown
//    ids or lost history give 400 (fail closed).
//  * DELETE ends the session; an unknown or ended session is 404.

#include <cstddef>
#include <memory>

#include <caf/fwd.hpp>

#include "cafmcp/transports/line_session.hpp"
#include "cafmcp/transports/ports.hpp"
#include "cafmcp/transports/sse_event_store.hpp"
#include "cafmcp/transports/transport_config.hpp"

namespace cafmcp::transports {

class http_service final : public http_handler {
public:
  /// `store` null: a bounded in-memory store sized from `cfg`.
  http_service(caf::actor_system& sys, broker_ref broker, listener_config cfg,
               std::shared_ptr<sse_event_store> store = nullptr);
  ~http_service() override;

  void handle(http_request req, std::shared_ptr<http_stream_port> port) override;
  bool is_websocket_route(const http_request& req) const override;
  int check_websocket(const http_request& req) const override;
  inbound_handlers start_websocket(std::shared_ptr<outbound_port> port) override;

  /// Open Streamable HTTP / legacy SSE sessions of this service.
  std::size_t streamable_sessions() const;
  std::size_t legacy_sessions() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace cafmcp::transports
