#pragma once
// The functions the CAF side (listener.cpp, stdio.cpp) calls into the Asio
// and Beast translation units. Plain types only, so that including this
// header costs nothing.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cafmcp/transports/detail/connection_slots.hpp"
#include "cafmcp/transports/io_runner.hpp"
#include "cafmcp/transports/ports.hpp"
#include "cafmcp/transports/transport_config.hpp"

namespace cafmcp::transports::detail {

/// A bound, listening acceptor. close() is thread-safe and idempotent; once
/// it returned, the port is free again.
class acceptor_handle : public io_runner::closable {
public:
  virtual std::string host() const = 0;
  virtual std::uint16_t port() const = 0;
};

struct open_result {
  std::shared_ptr<acceptor_handle> acceptor; ///< null on failure
  std::string error;
};

/// Newline-delimited JSON-RPC over TCP (line_io.cpp).
open_result open_tcp_listener(io_runner& io, const std::string& host, std::uint16_t port,
                              const transport_limits& limits,
                              std::shared_ptr<connection_counter> counter, session_starter starter);

/// Newline-delimited JSON-RPC on two file descriptors (line_io.cpp). Takes
/// ownership of both descriptors. No idle or partial-line timeouts.
/// `on_closed` (may be empty) runs on the io thread once both descriptors are
/// closed, after everything queued was written (or the writing failed).
std::shared_ptr<outbound_port> start_stdio_connection(io_runner& io, int in_fd, int out_fd,
                                                      const transport_limits& limits,
                                                      session_starter starter,
                                                      std::function<void()> on_closed = {});

/// Beast HTTP (Streamable HTTP, legacy SSE, WebSocket) with optional TLS
/// (http_plain.cpp). `tls_context` comes from make_tls_context or is null.
open_result open_http_listener(io_runner& io, const std::string& host, std::uint16_t port,
                               const transport_limits& limits,
                               std::shared_ptr<connection_counter> counter,
                               std::shared_ptr<http_handler> handler,
                               std::shared_ptr<void> tls_context);

/// A TLS server context from PEM files (http_tls.cpp); null and `error` set on failure.
std::shared_ptr<void> make_tls_context(const tls_files& files, std::string& error);

/// Unique ids of HTTP exchanges (http_wire.cpp).
std::uint64_t next_exchange_id() noexcept;

} // namespace cafmcp::transports::detail
