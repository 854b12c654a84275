// The WebSocket wire: GET `path` upgraded with subprotocol "mcp", one
// JSON-RPC message per text frame. Beast; all handlers on the wire's strand.

#include <deque>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "cafmcp/client/detail/wire.hpp"

namespace cafmcp::client::detail {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

class ws_wire final : public wire, public std::enable_shared_from_this<ws_wire> {
public:
  ws_wire(net::io_context& io, config_ptr cfg, wire_sink sink)
      : resolver_(net::make_strand(io)), ws_(resolver_.get_executor()), cfg_(std::move(cfg)),
        sink_(std::move(sink)) {}

  void start() override {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->resolve(); });
  }

  void send(std::string text, std::int64_t) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (self->closed_)
        return;
      self->queue_.push_back(std::move(text));
      self->do_write();
    });
  }

  void close() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->shut(); });
  }

private:
  void resolve() {
    resolver_.async_resolve(
        cfg_->host, std::to_string(cfg_->port),
        [self = shared_from_this()](const error_code& ec, tcp::resolver::results_type results) {
          if (ec)
            return self->refused(ec.message());
          self->connect(results);
        });
  }

  void connect(const tcp::resolver::results_type& results) {
    if (closed_)
      return;
    beast::get_lowest_layer(ws_).expires_after(cfg_->connect_timeout);
    beast::get_lowest_layer(ws_).async_connect(
        results, [self = shared_from_this()](const error_code& ec, const tcp::endpoint&) {
          if (ec)
            return self->refused(ec.message());
          self->handshake();
        });
  }

  void handshake() {
    if (closed_)
      return;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true));
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = cfg_->connect_timeout;
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(http::field::sec_websocket_protocol, "mcp");
      req.set(http::field::user_agent, "cafmcp-client");
    }));
    ws_.read_message_max(cfg_->max_message_bytes);
    ws_.text(true);
    auto host = cfg_->host + ":" + std::to_string(cfg_->port);
    ws_.async_handshake(res_, host, cfg_->effective_path(),
                        [self = shared_from_this()](const error_code& ec) {
                          if (ec) {
                            auto why = "WebSocket upgrade failed: " + ec.message();
                            if (self->res_.result_int() != 0 && self->res_.result_int() != 101)
                              why += " (HTTP " + std::to_string(self->res_.result_int()) + ")";
                            return self->refused(why);
                          }
                          self->connected_ = true;
                          self->do_read();
                          self->do_write();
                        });
  }

  void refused(const std::string& why) {
    if (closed_)
      return;
    sink_.down(client_errc::connection_refused, why);
    shut();
  }

  void lost(const error_code& ec) {
    if (closed_)
      return;
    sink_.down(client_errc::connection_lost, ec == websocket::error::closed
                                                 ? std::string{"server closed the WebSocket"}
                                                 : ec.message());
    shut();
  }

  void do_read() {
    ws_.async_read(rbuf_, [self = shared_from_this()](const error_code& ec, std::size_t) {
      if (ec)
        return self->lost(ec);
      self->sink_.message(beast::buffers_to_string(self->rbuf_.data()));
      self->rbuf_.consume(self->rbuf_.size());
      if (!self->closed_)
        self->do_read();
    });
  }

  void do_write() {
    if (!connected_ || writing_ || queue_.empty() || closed_)
      return;
    writing_ = true;
    ws_.async_write(net::buffer(queue_.front()),
                    [self = shared_from_this()](const error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (ec)
                        return self->lost(ec);
                      self->queue_.pop_front();
                      self->do_write();
                    });
  }

  void shut() {
    if (closed_)
      return;
    closed_ = true;
    resolver_.cancel();
    if (connected_ && !writing_) {
      // A polite close frame; the socket goes when it is answered (or fails).
      ws_.async_close(websocket::close_code::normal,
                      [self = shared_from_this()](const error_code&) {
                        error_code ignored;
                        beast::get_lowest_layer(self->ws_).socket().close(ignored);
                      });
      // The close handshake is bounded by the handshake_timeout set above.
      return;
    }
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  config_ptr cfg_;
  wire_sink sink_;
  websocket::response_type res_;
  beast::flat_buffer rbuf_;
  std::deque<std::string> queue_;
  bool connected_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

} // namespace

wire_ptr make_ws_wire(net::io_context& io, config_ptr cfg, wire_sink sink) {
  return std::make_shared<ws_wire>(io, std::move(cfg), std::move(sink));
}

} // namespace cafmcp::client::detail
