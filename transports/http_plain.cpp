// Plain-TCP HTTP/WebSocket connections and the HTTP accept loop (Beast).

#include "cafmcp/transports/detail/acceptor_impl.hpp"
#include "cafmcp/transports/detail/http_connection_impl.hpp"
#include "cafmcp/transports/detail/tls_glue.hpp"

namespace cafmcp::transports::detail {

template <>
struct stream_ops<strand_socket> {
  template <class Handler>
  static void handshake(strand_socket& s, Handler&& h) {
    error_code ec;
    s.set_option(tcp::no_delay(true), ec);
    h(error_code{});
  }
  static constexpr bool can_wait_readable = true;
  template <class Handler>
  static void async_wait_readable(strand_socket& s, Handler&& h) {
    s.async_wait(strand_socket::wait_read, std::forward<Handler>(h));
  }
  // What a read after the wait will find (0 at EOF or on an error).
  static std::size_t readable_bytes(strand_socket& s) {
    error_code ec;
    auto n = s.available(ec);
    return ec ? 0 : n;
  }
};

namespace {

// Over the connection limit: a canned 503, then close.
void refuse(tcp::socket socket) {
  struct refusal {
    tcp::socket socket;
    std::string bytes;
  };
  auto r = std::make_shared<refusal>(refusal{
      std::move(socket),
      format_response(503, {{"Content-Type", "application/json"}, {"Retry-After", "1"}},
                      jsonrpc_error_body(-32000, "Service Unavailable: too many connections"),
                      false)});
  net::async_write(r->socket, net::buffer(r->bytes), [r](error_code, std::size_t) {
    error_code ec;
    r->socket.shutdown(tcp::socket::shutdown_both, ec);
    r->socket.close(ec);
  });
}

} // namespace

open_result open_http_listener(io_runner& io, const std::string& host, std::uint16_t port,
                               const transport_limits& limits,
                               std::shared_ptr<connection_counter> counter,
                               std::shared_ptr<http_handler> handler,
                               std::shared_ptr<void> tls_context) {
  auto on_accept = [&io, limits, counter, handler, tls_context](strand_socket socket) {
    if (!counter->try_acquire()) {
      if (tls_context) {
        error_code ec;
        socket.close(ec);
      } else {
        refuse(std::move(socket));
      }
      return;
    }
    if (tls_context)
      start_tls_http_connection(std::move(socket), handler, limits,
                                connection_slot{counter, io.track()}, tls_context);
    else
      start_http_connection(std::move(socket), handler, limits,
                            connection_slot{counter, io.track()}, nullptr);
  };
  return open_acceptor(io, host, port, std::move(on_accept));
}

} // namespace cafmcp::transports::detail
