// The seam between the client actor (CAF) and the bytes (Asio/Beast).
//
// A wire is one connection's worth of transport for one client session. Its
// methods may be called from any thread and never block: they post to the
// wire's strand. What the wire learns goes to the client actor as messages
// (wire_sink), tagged with the wire's epoch so that a late event of a
// replaced wire is recognised and dropped. Plain types only here, so that the
// actor's translation unit sees neither Asio nor Beast.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor_addr.hpp>

#include "cafmcp/client/client_config.hpp"
#include "cafmcp/client/client_error.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace cafmcp::client::detail {

// Sends the wire's events to the client actor, if it still lives. Holds the
// actor weakly: a wire never keeps its client alive.
class wire_sink {
public:
  wire_sink(caf::actor_addr client, std::uint32_t epoch)
      : client_(std::move(client)), epoch_(epoch) {}

  // One JSON-RPC message from the server (not yet decoded).
  void message(std::string text) const;
  // The message sent with `tag` (a request id of ours) failed at the
  // transport level (HTTP status, connection refused for that POST, ...).
  void failure(std::int64_t tag, client_errc kind, std::string detail, int http_status = 0) const;
  // The whole connection ended: every pending request fails with `kind`.
  void down(client_errc kind, std::string detail) const;
  // The server named the session (Mcp-Session-Id, legacy sessionId).
  void session(std::string id) const;

private:
  caf::actor_addr client_;
  std::uint32_t epoch_;
};

class wire {
public:
  virtual ~wire() = default;
  // Connects (asynchronously); sends queue until connected.
  virtual void start() = 0;
  // One JSON-RPC message. `tag` is the id of a request of ours, else 0.
  virtual void send(std::string text, std::int64_t tag) = 0;
  // initialize succeeded with this version (Streamable HTTP sends it as a
  // header from now on and may open its GET stream).
  virtual void initialized(std::string protocol_version) { (void)protocol_version; }
  // Ends the connection (Streamable HTTP: DELETE the session first). No
  // events are reported afterwards. Idempotent.
  virtual void close() = 0;
};

using wire_ptr = std::shared_ptr<wire>;
using config_ptr = std::shared_ptr<const client_config>;

wire_ptr make_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink);

// One per transport; make_wire picks.
wire_ptr make_tcp_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink);
wire_ptr make_stdio_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink);
wire_ptr make_ws_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink);
wire_ptr make_http_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink);
wire_ptr make_sse_wire(boost::asio::io_context& io, config_ptr cfg, wire_sink sink);

} // namespace cafmcp::client::detail
