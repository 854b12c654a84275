// TLS HTTP/WebSocket connections (Beast over OpenSSL) and the TLS context.

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "cafmcp/transports/detail/http_connection_impl.hpp"
#include "cafmcp/transports/detail/tls_glue.hpp"

namespace cafmcp::transports::detail {

using tls_stream = beast::ssl_stream<tcp::socket>;

template <>
struct stream_ops<tls_stream> {
  template <class Handler>
  static void handshake(tls_stream& s, Handler&& h) {
    error_code ec;
    beast::get_lowest_layer(s).set_option(tcp::no_delay(true), ec);
    s.async_handshake(net::ssl::stream_base::server, std::forward<Handler>(h));
  }
  // Decrypted bytes may wait in the TLS layer with nothing on the socket.
  static constexpr bool can_wait_readable = false;
  template <class Handler>
  static void async_wait_readable(tls_stream&, Handler&&) {}
  static std::size_t readable_bytes(tls_stream&) { return 4096; }
};

void start_tls_http_connection(tcp::socket socket, std::shared_ptr<http_handler> handler,
                               const transport_limits& limits, connection_slot slot,
                               std::shared_ptr<void> tls_context) {
  auto& ctx = *static_cast<net::ssl::context*>(tls_context.get());
  start_http_connection(tls_stream{std::move(socket), ctx}, std::move(handler), limits,
                        std::move(slot), std::move(tls_context));
}

std::shared_ptr<void> make_tls_context(const tls_files& files, std::string& error) {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1);
  // OpenSSL frees a connection's record buffers while it is idle (as nginx
  // does); Asio's own TLS buffers stay.
  SSL_CTX_set_mode(ctx->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  error_code ec;
  ctx->use_certificate_chain_file(files.cert_file, ec);
  if (ec) {
    error = "cannot load certificate " + files.cert_file + ": " + ec.message();
    return nullptr;
  }
  ctx->use_private_key_file(files.key_file, net::ssl::context::pem, ec);
  if (ec) {
    error = "cannot load private key " + files.key_file + ": " + ec.message();
    return nullptr;
  }
  return ctx;
}

} // namespace cafmcp::transports::detail
