#include "cafmcp/app/admin/admin_server.hpp"

#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <caf/sec.hpp>

namespace cafmcp::app {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto request_timeout = std::chrono::seconds{5};
constexpr size_t max_body = 64 * 1024;

// One connection: read a request (bounded in time and size), answer, close.
class admin_session : public std::enable_shared_from_this<admin_session> {
public:
  admin_session(tcp::socket socket, std::shared_ptr<admin_handler> handler)
      : stream_(std::move(socket)), handler_(std::move(handler)) {}

  void run() {
    parser_.body_limit(max_body);
    stream_.expires_after(request_timeout);
    http::async_read(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

private:
  void on_read(beast::error_code ec) {
    if (ec)
      return; // timeout, garbage or a closed socket: nothing to answer
    auto& req = parser_.get();
    admin_request r;
    r.method = std::string{req.method_string()};
    r.target = std::string{req.target()};
    r.authorization = std::string{req[http::field::authorization]};
    auto out = handler_->handle(r);
    res_.version(11);
    res_.result(static_cast<http::status>(out.status));
    res_.set(http::field::content_type, "application/json");
    res_.set(http::field::cache_control, "no-store");
    res_.keep_alive(false);
    res_.body() = std::move(out.body);
    res_.prepare_payload();
    stream_.expires_after(request_timeout);
    http::async_write(stream_, res_, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> res_;
  std::shared_ptr<admin_handler> handler_;
};

} // namespace

struct admin_server::impl {
  net::io_context io{1};
  tcp::acceptor acceptor{io};
  std::shared_ptr<admin_handler> handler;
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted)
        return;
      if (!ec)
        std::make_shared<admin_session>(std::move(socket), handler)->run();
      accept();
    });
  }
};

admin_server::admin_server(std::unique_ptr<impl> x) : impl_(std::move(x)) {}

admin_server::~admin_server() {
  stop();
}

caf::expected<std::unique_ptr<admin_server>>
admin_server::start(std::shared_ptr<admin_handler> handler, const std::string& host,
                    uint16_t port) {
  auto x = std::make_unique<impl>();
  x->handler = std::move(handler);
  beast::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  if (ec)
    return caf::make_error(caf::sec::invalid_argument, "admin.host: " + ec.message());
  tcp::endpoint ep{addr, port};
  x->acceptor.open(ep.protocol(), ec);
  if (!ec)
    x->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    x->acceptor.bind(ep, ec);
  if (!ec)
    x->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return caf::make_error(caf::sec::cannot_open_port,
                           "admin " + host + ":" + std::to_string(port) + ": " + ec.message());
  x->accept();
  auto* raw = x.get();
  x->thread = std::thread{[raw] { raw->io.run(); }};
  return std::unique_ptr<admin_server>{new admin_server(std::move(x))};
}

uint16_t admin_server::port() const noexcept {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void admin_server::stop() {
  if (!impl_ || !impl_->thread.joinable())
    return;
  net::post(impl_->io, [x = impl_.get()] {
    beast::error_code ignored;
    x->acceptor.close(ignored);
    x->io.stop();
  });
  impl_->thread.join();
}

} // namespace cafmcp::app
