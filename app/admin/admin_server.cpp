#include "cafmcp/app/admin/admin_server.hpp"

#include <atomic>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

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
// Event streams: how often a stream looks for a newer dashboard document (a kill shows within
// about this plus one render), how often an idle stream sends a comment (so proxies and the
// browser see it alive), and how many streams may be open at once (each costs a render check).
constexpr auto event_poll = std::chrono::milliseconds{200};
constexpr auto event_keepalive = std::chrono::seconds{15};
constexpr int max_event_streams = 32;

// An open /dashboard/events connection: sends the dashboard document as an "update" event
// whenever it changed, until the client goes away or the server stops.
class event_stream : public std::enable_shared_from_this<event_stream> {
public:
  event_stream(beast::tcp_stream stream, std::shared_ptr<admin_handler> handler,
               std::shared_ptr<std::atomic<int>> open)
      : stream_(std::move(stream)), timer_(stream_.get_executor()), handler_(std::move(handler)),
        open_(std::move(open)) {}

  ~event_stream() { --*open_; }

  void start() {
    stream_.expires_never();
    out_ = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
           "Connection: close\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";
    // Reading lets a closed connection show at once (the read ends), not at the next write.
    stream_.socket().async_wait(tcp::socket::wait_read,
                                [self = shared_from_this()](beast::error_code) {
                                  self->closed_ = true;
                                  beast::error_code ignored;
                                  self->timer_.cancel(ignored);
                                });
    tick();
  }

private:
  void tick() {
    if (closed_)
      return;
    auto [version, doc] = handler_->dashboard_event();
    auto now = std::chrono::steady_clock::now();
    if (version != sent_) {
      sent_ = version;
      out_ += "event: update\nid: " + std::to_string(version) + "\ndata: " + doc + "\n\n";
    } else if (now - last_write_ >= event_keepalive) {
      out_ += ": keepalive\n\n";
    }
    if (out_.empty())
      return wait();
    last_write_ = now;
    pending_ = std::move(out_);
    out_.clear();
    net::async_write(stream_.socket(), net::buffer(pending_),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) {
                         self->closed_ = true;
                         return;
                       }
                       self->wait();
                     });
  }

  void wait() {
    if (closed_)
      return;
    timer_.expires_after(event_poll);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec)
        self->tick();
    });
  }

  beast::tcp_stream stream_;
  net::steady_timer timer_;
  std::shared_ptr<admin_handler> handler_;
  std::shared_ptr<std::atomic<int>> open_;
  std::string out_;
  std::string pending_;
  uint64_t sent_ = 0;
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_write_{};
};

// One connection: read a request (bounded in time and size), answer, close.
class admin_session : public std::enable_shared_from_this<admin_session> {
public:
  admin_session(tcp::socket socket, std::shared_ptr<admin_handler> handler,
                std::shared_ptr<std::atomic<int>> streams)
      : stream_(std::move(socket)), handler_(std::move(handler)), streams_(std::move(streams)) {}

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
    if (out.event_stream) {
      if (++*streams_ <= max_event_streams) {
        std::make_shared<event_stream>(std::move(stream_), handler_, streams_)->start();
        return;
      }
      --*streams_;
      out = {503, R"({"error":"too many open event streams"})"};
    }
    res_.version(11);
    res_.result(static_cast<http::status>(out.status));
    res_.set(http::field::content_type, out.content_type);
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
  std::shared_ptr<std::atomic<int>> streams_;
};

} // namespace

struct admin_server::impl {
  net::io_context io{1};
  tcp::acceptor acceptor{io};
  std::shared_ptr<admin_handler> handler;
  std::shared_ptr<std::atomic<int>> streams = std::make_shared<std::atomic<int>>(0);
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted)
        return;
      if (!ec)
        std::make_shared<admin_session>(std::move(socket), handler, streams)->run();
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
