// Beast behind detail/http_conn.hpp: connect, write, read the header, then
// read the body piece by piece into a small fixed buffer (buffer_body), so
// an endless SSE stream is delivered as it comes.

#include <array>
#include <limits>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "cafmcp/client/detail/http_conn.hpp"

namespace cafmcp::client::detail {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

class beast_conn final : public http_conn, public std::enable_shared_from_this<beast_conn> {
public:
  beast_conn(http_strand strand, std::string host, std::uint16_t port,
             std::chrono::milliseconds connect_timeout)
      : stream_(strand), resolver_(strand), host_(std::move(host)), port_(port),
        connect_timeout_(connect_timeout) {}

  void run(http_request req, http_callbacks cb) override {
    idle_ = false;
    busy_ = true;
    got_bytes_ = false;
    cb_ = std::move(cb);
    req_ = {};
    req_.version(11);
    req_.method(http::string_to_verb(req.method));
    req_.target(req.target);
    req_.set(http::field::host, host_ + ":" + std::to_string(port_));
    req_.set(http::field::user_agent, "cafmcp-client");
    for (auto& kv : req.headers)
      req_.set(kv.first, kv.second);
    req_.body() = std::move(req.body);
    req_.keep_alive(true);
    req_.prepare_payload();
    if (connected_) {
      reused_ = true;
      write();
    } else {
      reused_ = false;
      connect();
    }
  }

  bool idle() const override { return idle_; }

  void close() override {
    closed_ = true;
    idle_ = false;
    error_code ec;
    resolver_.cancel();
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
    connected_ = false;
  }

private:
  void connect() {
    error_code ec;
    auto addr = net::ip::make_address(host_, ec);
    stream_.expires_after(connect_timeout_);
    if (!ec) {
      stream_.async_connect(
          tcp::endpoint{addr, port_},
          [self = shared_from_this()](const error_code& e) { self->connected(e); });
      return;
    }
    resolver_.async_resolve(
        host_, std::to_string(port_),
        [self = shared_from_this()](const error_code& e, tcp::resolver::results_type results) {
          if (e)
            return self->finish(e.message(), true);
          self->stream_.async_connect(
              results, [self](const error_code& e2, const tcp::endpoint&) { self->connected(e2); });
        });
  }

  void connected(const error_code& ec) {
    if (ec)
      return finish(ec == beast::error::timeout ? "connect timed out" : ec.message(), true);
    connected_ = true;
    error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    write();
  }

  void write() {
    stream_.expires_never();
    http::async_write(stream_, req_,
                      [self = shared_from_this()](const error_code& ec, std::size_t) {
                        if (ec)
                          return self->finish(ec.message(), false);
                        self->read_head();
                      });
  }

  void read_head() {
    parser_.emplace();
    // SSE streams are endless; sse_parser bounds events. Not boost::none:
    // Beast 1.74 compares `len > body_limit_` with the empty optional as
    // smaller than any length and refuses every body.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    http::async_read_header(stream_, buf_, *parser_,
                            [self = shared_from_this()](const error_code& ec, std::size_t) {
                              if (ec)
                                return self->finish(ec.message(), false);
                              self->got_bytes_ = true;
                              self->head();
                            });
  }

  void head() {
    auto& res = parser_->get();
    http_head h;
    h.status = static_cast<int>(res.result_int());
    h.content_type = std::string{res[http::field::content_type]};
    auto sid = res.find("mcp-session-id");
    if (sid != res.end())
      h.session_id = std::string{sid->value()};
    keep_alive_ = res.keep_alive();
    if (cb_.head)
      cb_.head(h);
    if (closed_)
      return release();
    read_body();
  }

  void read_body() {
    if (parser_->is_done())
      return finish({}, false);
    parser_->get().body().data = chunk_.data();
    parser_->get().body().size = chunk_.size();
    http::async_read_some(stream_, buf_, *parser_,
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            if (ec == http::error::need_buffer)
                              ec = {};
                            auto got = self->chunk_.size() - self->parser_->get().body().size;
                            if (got > 0 && self->cb_.body)
                              self->cb_.body(std::string_view{self->chunk_.data(), got});
                            if (ec)
                              return self->finish(ec.message(), false);
                            if (self->closed_)
                              return self->release();
                            self->read_body();
                          });
  }

  // Closed while the exchange ran: nothing more is delivered. The callbacks
  // hold their owner (a wire that holds this connection), so dropping them
  // here is what breaks that cycle.
  void release() {
    busy_ = false;
    cb_ = {};
  }

  void finish(const std::string& error, bool connect_failed) {
    busy_ = false;
    auto cb = std::move(cb_);
    cb_ = {};
    if (error.empty() && keep_alive_ && !closed_) {
      idle_ = true;
    } else {
      idle_ = false;
      if (connected_) {
        error_code ec;
        stream_.socket().close(ec);
        connected_ = false;
        buf_.consume(buf_.size());
      }
    }
    if (cb.done)
      cb.done(error, connect_failed, !error.empty() && reused_ && !got_bytes_);
  }

  beast::tcp_stream stream_;
  tcp::resolver resolver_;
  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds connect_timeout_;
  beast::flat_buffer buf_;
  http::request<http::string_body> req_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
  std::array<char, 4096> chunk_;
  http_callbacks cb_;
  bool connected_ = false;
  bool idle_ = false;
  bool busy_ = false;
  bool reused_ = false;
  bool got_bytes_ = false;
  bool keep_alive_ = false;
  bool closed_ = false;
};

} // namespace

std::shared_ptr<http_conn> make_http_conn(http_strand strand, std::string host, std::uint16_t port,
                                          std::chrono::milliseconds connect_timeout) {
  return std::make_shared<beast_conn>(std::move(strand), std::move(host), port, connect_timeout);
}

} // namespace cafmcp::client::detail
