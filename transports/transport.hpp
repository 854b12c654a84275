#pragma once
// The public face of the transport layer, what app/ uses.
//
//   io_runner io{split_threads().io_threads};   // after the actor_system
//   io.start();
//   auto t = transport::make(sys, io, broker_ref, cfg);     // once per enabled transport
//   child_spec: start = [t](start_context&) -> expected<start_result> {
//     auto l = t->spawn_listener(); if (!l) return l.error(); return start_result{*l}; }
//   stdio: auto s = start_stdio(sys, io, broker_ref, limits); monitor s (ends at EOF).
//
// A transport outlives its listener actors: it holds the connection counter,
// the HTTP sessions and the event store, so a listener killed and restarted by
// transport_sup rebinds the same port (also when it was configured as 0) and
// open connections and sessions carry on untouched.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/transports/io_runner.hpp"
#include "cafmcp/transports/line_session.hpp"
#include "cafmcp/transports/sse_event_store.hpp"
#include "cafmcp/transports/transport_config.hpp"

namespace cafmcp::transports {

/// Ask a listener actor: (listener_endpoint_atom) -> (std::string host, uint16_t port)
using listener_endpoint_atom = caf::atom_constant<caf::atom("tr_where")>;
/// Ask a listener actor: (listener_connections_atom) -> uint32_t open connections
using listener_connections_atom = caf::atom_constant<caf::atom("tr_conns")>;

class transport : public std::enable_shared_from_this<transport> {
public:
  /// Loads TLS files (if configured) and prepares the shared state; binds
  /// nothing yet. `store` applies to Streamable HTTP (null: in-memory store).
  static caf::expected<std::shared_ptr<transport>>
  make(caf::actor_system& sys, io_runner& io, broker_ref broker, listener_config cfg,
       std::shared_ptr<sse_event_store> store = nullptr);

  /// Binds (the configured port, or the one bound first when it was 0) and
  /// spawns a listener actor that owns the acceptor: when the actor ends, for
  /// whatever reason, the acceptor is closed before its monitors hear of it.
  /// Fails with sec::cannot_open_port and the reason in the context.
  caf::expected<caf::actor> spawn_listener();

  const listener_config& config() const noexcept;
  /// "127.0.0.1" / the port bound last (0 before the first bind).
  std::string bound_host() const;
  std::uint16_t bound_port() const;
  /// e.g. "http 127.0.0.1:8080/mcp", for the node's startup line.
  std::string describe() const;
  std::uint32_t open_connections() const;
  /// Streamable HTTP + legacy SSE sessions open on this transport.
  std::size_t http_sessions() const;

  struct impl;
  explicit transport(std::unique_ptr<impl> x);
  ~transport();

private:
  std::unique_ptr<impl> impl_;
};

/// One MCP session on stdin/stdout (or any two descriptors: pipes in tests),
/// newline-delimited. Takes ownership of both descriptors (pass dup()s to
/// keep them). Returns the session actor: it ends when the session ends (EOF
/// on input, after in-flight requests were answered; or the server ended it).
/// Nothing but MCP messages is ever written to `out_fd`. `on_closed` (may be
/// empty) runs once both descriptors are closed, after the last queued
/// message was written: from then on nothing more reaches `out_fd`.
caf::actor start_stdio(caf::actor_system& sys, io_runner& io, broker_ref broker,
                       const transport_limits& limits, int in_fd = 0, int out_fd = 1,
                       std::function<void()> on_closed = {});

} // namespace cafmcp::transports
