#pragma once
// Beast HTTP and WebSocket connections, templated on the stream (a plain
// strand_socket or a TLS stream). Included only by http_plain.cpp and
// http_tls.cpp, which instantiate it once each: this is where Beast's
// compile cost lives, and nowhere else.
//
// Reading uses Beast's parser; writing drains a bounded queue of bytes that
// http_wire.hpp formatted, one async_write at a time. Timeouts are our own
// timers (idle, header, body, write) rather than tcp_stream's, so a read and
// a write may be pending at once (an SSE stream keeps a read pending to see
// the client go away).
//
// Each connection lives on its own strand (the socket's executor). Ports
// (exchange_port) post to it from any thread.
//
// Between messages a connection holds no read buffer (issue #8): WebSocket
// waits for the next message with a one-byte read and reads its payload
// straight into the message string; HTTP over plain TCP waits for
// readability before it prepares a buffer. Write queues are lists, which,
// unlike std::deque, allocate nothing while empty.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "cafmcp/actors/services/metrics_live.hpp"
#include "cafmcp/transports/detail/asio_glue.hpp"
#include "cafmcp/transports/detail/outbound_budget.hpp"
#include "cafmcp/transports/detail/read_buffer_probe.hpp"
#include "cafmcp/transports/http_wire.hpp"

namespace cafmcp::transports::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

/// Per stream type: the server handshake before HTTP (TLS) or nothing, and
/// whether the connection may wait for readability on the socket before it
/// prepares a read buffer (`can_wait_readable`, `async_wait_readable`,
/// `readable_bytes`): plain TCP can; TLS cannot, since decrypted bytes may
/// already sit in the TLS layer. Specialized by http_plain.cpp and
/// http_tls.cpp.
template <class Stream>
struct stream_ops;

/// Before closing on a client that stopped reading: the kernel drops what it
/// still holds for that client and resets the connection, instead of
/// trickling it out (line_io.cpp does the same for TCP lines).
template <class Socket>
void discard_unsent(Socket& s) {
  error_code ec;
  s.set_option(net::socket_base::linger(true, 0), ec);
}

/// One deadline on a connection's strand: expiring calls `on_expire` unless
/// re-armed or cancelled first (a generation guards late expirations).
/// Typed with the stream's executor (a strand for plain TCP, see strand_t).
template <class Executor>
class deadline {
public:
  explicit deadline(const Executor& ex) : timer_(ex), gen_(std::make_shared<std::uint64_t>(0)) {}

  // `on_expire` must not rely on the deadline's owner being alive (capture
  // a weak_ptr): an expiry may already be queued when the owner dies.
  template <class Duration, class F>
  void arm(Duration d, F on_expire) {
    auto gen = ++*gen_;
    timer_.expires_after(d);
    timer_.async_wait([g = gen_, gen, f = std::move(on_expire)](error_code ec) mutable {
      if (!ec && gen == *g)
        f();
    });
  }
  void cancel() {
    ++*gen_;
    timer_.cancel();
  }

private:
  net::basic_waitable_timer<std::chrono::steady_clock, net::wait_traits<std::chrono::steady_clock>,
                            Executor>
      timer_;
  std::shared_ptr<std::uint64_t> gen_;
};

inline std::string to_std(beast::string_view s) {
  return std::string(s.data(), s.size());
}

template <class Stream>
class http_connection;

/// One request/response exchange; all calls post to the connection.
template <class Stream>
class exchange_port final : public http_stream_port, public read_buffer_probe {
public:
  exchange_port(std::shared_ptr<http_connection<Stream>> conn, std::uint64_t id)
      : conn_(std::move(conn)), id_(id) {}

  // Dropped without an answer: its session actor ended with the exchange
  // still in its mailbox. The client must not wait forever: 404 (the session
  // is gone), or the end of an SSE stream already started.
  ~exchange_port() override {
    if (!ended_.load())
      conn_->post_abandon(id_);
  }

  bool send(std::string message) override {
    if (ended_.load())
      return false;
    return conn_->post_send(id_, std::move(message));
  }
  void close() override {
    if (!ended_.exchange(true))
      conn_->post_end(id_, end_kind::close);
  }
  bool closed() const noexcept override { return ended_.load() || conn_->closed(); }
  void respond(int status, header_list headers, std::string body) override {
    if (!ended_.exchange(true))
      conn_->post_respond(id_, status, std::move(headers), std::move(body));
  }
  void open_sse(header_list headers) override {
    if (!ended_.load())
      conn_->post_open_sse(id_, std::move(headers));
  }
  void finish() override {
    if (!ended_.exchange(true))
      conn_->post_end(id_, end_kind::finish);
  }
  std::uint64_t exchange_id() const noexcept override { return id_; }
  void set_on_gone(std::function<void()> f) override { conn_->set_on_gone(id_, std::move(f)); }
  void probe_read_buffers(std::function<void(std::size_t)> report) override {
    conn_->probe_read_buffers(std::move(report));
  }

  enum class end_kind { finish, close };

private:
  std::shared_ptr<http_connection<Stream>> conn_;
  std::uint64_t id_;
  std::atomic<bool> ended_{false};
};

// -- WebSocket ---------------------------------------------------------------

template <class Stream>
class ws_connection final : public outbound_port,
                            public read_buffer_probe,
                            public io_runner::stoppable,
                            public std::enable_shared_from_this<ws_connection<Stream>> {
public:
  ws_connection(Stream&& s, std::shared_ptr<http_handler> handler, const transport_limits& limits,
                connection_slot slot, std::shared_ptr<void> keep)
      : slot_(std::move(slot)), ws_(std::move(s)), handler_(std::move(handler)),
        budget_(limits.outbound_queue_max_messages, limits.outbound_queue_max_bytes),
        limits_(limits), keep_(std::move(keep)) {}

  ~ws_connection() override {
    if (!done_ && handlers_.on_closed)
      handlers_.on_closed();
  }

  void run(http::request<http::string_body> req) {
    slot_.bind(this->weak_from_this()); // stop() closes this connection now
    websocket::stream_base::timeout t{};
    t.handshake_timeout = limits_.header_timeout;
    // Beast pings after one idle period and closes after the next one.
    t.idle_timeout =
        std::max<std::chrono::milliseconds>(limits_.idle_timeout / 2, std::chrono::milliseconds{1});
    t.keep_alive_pings = true;
    ws_.set_option(t);
    bool offered = false;
    auto it = req.find(http::field::sec_websocket_protocol);
    if (it != req.end()) {
      auto v = it->value();
      offered = std::string_view{v.data(), v.size()}.find("mcp") != std::string_view::npos;
    }
    ws_.set_option(websocket::stream_base::decorator([offered](websocket::response_type& res) {
      if (offered)
        res.set(http::field::sec_websocket_protocol, "mcp");
      res.set(http::field::server, "cafmcp");
    }));
    ws_.read_message_max(0); // we count and skip oversized messages ourselves
    ws_.async_accept(req,
                     [self = this->shared_from_this()](error_code ec) { self->on_accept(ec); });
  }

  bool send(std::string message) override {
    if (closed_.load())
      return false;
    auto n = message.size();
    if (!budget_.admit(n)) {
      net::post(ws_.get_executor(), [self = this->shared_from_this()] {
        discard_unsent(beast::get_lowest_layer(self->ws_));
        self->shutdown();
      });
      return false;
    }
    net::post(ws_.get_executor(),
              [self = this->shared_from_this(), m = std::move(message)]() mutable {
                if (self->done_) {
                  self->budget_.release(m.size());
                  return;
                }
                self->out_.push_back(std::move(m));
                self->maybe_write();
              });
    return true;
  }

  void close() override {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->close_requested_ = true;
      self->maybe_write();
    });
  }

  bool closed() const noexcept override { return closed_.load(); }

  void probe_read_buffers(std::function<void(std::size_t)> report) override {
    net::post(ws_.get_executor(), [self = this->shared_from_this(), r = std::move(report)] {
      r(self->msg_.capacity());
    });
  }

  void stop_now() override {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] { self->shutdown(); });
  }

private:
  // The first payload read of a message; later ones grow with the message.
  static constexpr std::size_t min_chunk = 1536; // Beast's tcp_frame_size
  static constexpr std::size_t max_chunk = 64 * 1024;

  void on_accept(error_code ec) {
    if (ec) {
      done_ = true;
      closed_.store(true);
      return;
    }
    handlers_ = handler_->start_websocket(this->shared_from_this());
    wait_message();
  }

  // Between messages: a read of one byte into the connection itself.
  // Beast meanwhile answers pings, takes pongs (its keep-alive) and close
  // frames, and completes with the first payload byte (or an empty
  // message), so an idle connection holds no payload buffer.
  void wait_message() {
    ws_.async_read_some(net::buffer(&first_byte_, 1),
                        [self = this->shared_from_this()](error_code ec, std::size_t n) {
                          self->on_message_begun(ec, n);
                        });
  }

  void on_message_begun(error_code ec, std::size_t n) {
    if (done_)
      return;
    if (ec) {
      shutdown();
      return;
    }
    msg_.assign(n, first_byte_); // inline in the string: no allocation
    check_size();
    if (ws_.is_message_done())
      finish_message();
    else
      read_payload();
  }

  // Straight into the message string (or, while skipping an oversized
  // message, into a scratch chunk of it).
  void read_payload() {
    std::size_t have = discarding_ ? 0 : msg_.size();
    std::size_t chunk = discarding_ ? max_chunk : std::clamp(have, min_chunk, max_chunk);
    msg_.resize(have + chunk);
    ws_.async_read_some(net::buffer(&msg_[have], chunk),
                        [self = this->shared_from_this(), have](error_code ec, std::size_t n) {
                          self->on_payload(ec, have, n);
                        });
  }

  void on_payload(error_code ec, std::size_t have, std::size_t n) {
    if (done_)
      return;
    if (ec) {
      shutdown();
      return;
    }
    if (discarding_) {
      skipped_ += n;
    } else {
      msg_.resize(have + n);
      check_size();
    }
    if (ws_.is_message_done())
      finish_message();
    else
      read_payload();
  }

  // Past the limit: skip the rest of the message, counting it.
  void check_size() {
    if (discarding_ || msg_.size() <= limits_.max_message_bytes)
      return;
    discarding_ = true;
    skipped_ = msg_.size();
    std::string{}.swap(msg_);
  }

  void finish_message() {
    if (discarding_) {
      discarding_ = false;
      if (handlers_.on_too_large)
        handlers_.on_too_large(skipped_);
    } else if (handlers_.on_message) {
      handlers_.on_message(std::move(msg_));
    }
    std::string{}.swap(msg_); // moved from or skipped: hold nothing while idle
    skipped_ = 0;
    wait_message();
  }

  void maybe_write() {
    if (done_ || writing_)
      return;
    if (out_.empty()) {
      if (close_requested_ && !closing_) {
        closing_ = true;
        ws_.async_close(websocket::close_code::normal,
                        [self = this->shared_from_this()](error_code) { self->shutdown(); });
      }
      return;
    }
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(out_.front()),
                    [self = this->shared_from_this()](error_code ec, std::size_t) {
                      self->writing_ = false;
                      self->budget_.release(self->out_.front().size());
                      self->out_.pop_front();
                      if (ec) {
                        self->shutdown();
                        return;
                      }
                      self->maybe_write();
                    });
  }

  void shutdown() {
    if (done_)
      return;
    done_ = true;
    closed_.store(true);
    error_code ec;
    beast::get_lowest_layer(ws_).close(ec);
    slot_.release_count();
    auto on_closed = std::move(handlers_.on_closed);
    handlers_ = {};
    if (on_closed)
      on_closed();
  }

  connection_slot slot_; // first: destroyed last (connection_slot)
  // No permessage-deflate support compiled in: it is never offered, and
  // its state would cost every connection memory.
  websocket::stream<Stream, false> ws_;
  std::shared_ptr<http_handler> handler_;
  outbound_budget budget_;
  transport_limits limits_;
  std::shared_ptr<void> keep_; // the TLS context
  inbound_handlers handlers_;
  std::string msg_; // the message being read; nothing while idle
  char first_byte_ = 0;
  bool discarding_ = false;
  std::size_t skipped_ = 0;
  std::list<std::string> out_;
  bool writing_ = false;
  bool close_requested_ = false;
  bool closing_ = false;
  bool done_ = false;
  std::atomic<bool> closed_{false};
};

// -- HTTP ----------------------------------------------------------------------

template <class Stream>
class http_connection final : public io_runner::stoppable,
                              public std::enable_shared_from_this<http_connection<Stream>> {
public:
  using port_type = exchange_port<Stream>;
  using end_kind = typename port_type::end_kind;

  http_connection(Stream&& s, std::shared_ptr<http_handler> handler, const transport_limits& limits,
                  connection_slot slot, std::shared_ptr<void> keep)
      : slot_(std::move(slot)), stream_(std::move(s)), read_deadline_(stream_.get_executor()),
        write_deadline_(stream_.get_executor()), handler_(std::move(handler)),
        budget_(limits.outbound_queue_max_messages, limits.outbound_queue_max_bytes),
        limits_(limits), keep_(std::move(keep)) {}

  ~http_connection() {
    if (on_gone_)
      on_gone_();
  }

  void stop_now() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->shutdown(); });
  }

  void run() {
    slot_.bind(this->weak_from_this()); // stop() closes this connection now
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      self->arm_read(self->limits_.header_timeout);
      stream_ops<Stream>::handshake(self->stream_, [self](error_code ec) {
        if (ec) {
          self->shutdown();
          return;
        }
        self->next_request();
      });
    });
  }

  bool closed() const noexcept { return closed_.load(); }

  // -- called by exchange ports, from any thread ------------------------------

  void post_respond(std::uint64_t ex, int status, header_list headers, std::string body) {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), ex, status,
                                       h = std::move(headers), b = std::move(body)]() mutable {
      if (ex != self->exchange_ || self->done_)
        return;
      self->enqueue(format_response(status, h, b, self->keep_alive_), false);
      self->end_exchange();
    });
  }

  void post_open_sse(std::uint64_t ex, header_list headers) {
    net::post(stream_.get_executor(),
              [self = this->shared_from_this(), ex, h = std::move(headers)]() mutable {
                if (ex != self->exchange_ || self->done_ || self->sse_)
                  return;
                self->sse_ = true;
                self->chunked_ = self->version_ >= 11;
                if (!self->chunked_)
                  self->keep_alive_ = false;
                self->enqueue(format_stream_head(200, h, self->chunked_), false);
              });
  }

  bool post_send(std::uint64_t ex, std::string data) {
    if (closed_.load())
      return false;
    auto n = data.size() + 16; // chunk framing
    if (!budget_.admit(n)) {
      net::post(stream_.get_executor(), [self = this->shared_from_this()] {
        discard_unsent(beast::get_lowest_layer(self->stream_));
        self->shutdown();
      });
      return false;
    }
    net::post(stream_.get_executor(),
              [self = this->shared_from_this(), ex, n, d = std::move(data)]() mutable {
                if (ex != self->exchange_ || self->done_ || !self->sse_) {
                  self->budget_.release(n);
                  return;
                }
                self->enqueue(self->chunked_ ? format_chunk(d) : std::move(d), true, n);
              });
    return true;
  }

  void post_end(std::uint64_t ex, end_kind how) {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), ex, how] {
      if (ex != self->exchange_ || self->done_)
        return;
      if (self->sse_) {
        if (self->chunked_)
          self->enqueue(std::string{last_chunk()}, false);
      } else if (how == end_kind::finish) {
        self->enqueue(format_response(500, {}, {}, self->keep_alive_), false);
      }
      if (how == end_kind::close)
        self->keep_alive_ = false;
      self->end_exchange();
    });
  }

  void post_abandon(std::uint64_t ex) {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), ex] {
      if (ex != self->exchange_ || self->done_)
        return;
      if (self->sse_) {
        if (self->chunked_)
          self->enqueue(std::string{last_chunk()}, false);
      } else {
        self->enqueue(format_response(404, {{"Content-Type", "application/json"}},
                                      jsonrpc_error_body(-32001, "Session not found"),
                                      self->keep_alive_),
                      false);
      }
      self->end_exchange();
    });
  }

  // The read buffer and the request parser, if held (read_buffer_probe).
  void probe_read_buffers(std::function<void(std::size_t)> report) {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), r = std::move(report)] {
      r(self->buf_.capacity() + (self->parser_ ? sizeof(*self->parser_) : 0));
    });
  }

  // On the strand, inside http_handler::handle().
  void set_on_gone(std::uint64_t ex, std::function<void()> f) {
    if (ex == exchange_ && !done_)
      on_gone_ = std::move(f);
  }

private:
  template <class Duration>
  void arm_read(Duration d) {
    read_deadline_.arm(d, [w = this->weak_from_this()] {
      if (auto self = w.lock())
        self->shutdown();
    });
  }

  // Waits for the first byte of the next request (idle timeout), unless the
  // buffer has bytes already.
  void next_request() {
    if (done_ || busy_ || reading_)
      return;
    if (buf_.size() > 0) {
      read_header();
      return;
    }
    arm_read(limits_.idle_timeout);
    read_some();
  }

  // Waiting for the next request or watching an open stream: nothing is
  // buffered, so hold no buffer while waiting where the stream allows it.
  void read_some() {
    reading_ = true;
    if (buf_.size() == 0)
      buf_.shrink_to_fit(); // frees it
    if constexpr (stream_ops<Stream>::can_wait_readable) {
      stream_ops<Stream>::async_wait_readable(
          stream_, [self = this->shared_from_this()](error_code ec) {
            if (ec || self->done_)
              self->on_some(ec, 0);
            else
              self->read_now(stream_ops<Stream>::readable_bytes(self->stream_));
          });
    } else {
      read_now();
    }
  }

  // A buffer the size of what is there (at most 4 KiB; Beast grows it for a
  // larger header): thousands of clients leaving at once must not each get
  // 4 KiB only to read their EOF.
  void read_now(std::size_t readable = 4096) {
    stream_.async_read_some(
        buf_.prepare(std::clamp<std::size_t>(readable, 1, 4096)),
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_some(ec, n); });
  }

  void on_some(error_code ec, std::size_t n) {
    reading_ = false;
    if (done_)
      return;
    if (lingering_) {
      if (ec) {
        shutdown();
        return;
      }
      buf_.commit(n);
      buf_.consume(buf_.size());
      drain();
      return;
    }
    if (ec) {
      shutdown(); // also how a streaming client's disconnect shows
      return;
    }
    buf_.commit(n);
    if (busy_)
      return; // keep the bytes for after the current exchange
    read_header();
  }

  void read_header() {
    parser_ = std::make_unique<http::request_parser<http::string_body>>();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    parser_->body_limit(limits_.max_message_bytes);
    arm_read(limits_.header_timeout);
    reading_ = true;
    http::async_read_header(
        stream_, buf_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    reading_ = false;
    if (done_)
      return;
    if (lingering_) {
      ec ? shutdown() : drain();
      return;
    }
    if (ec == http::error::header_limit) {
      reply_and_close(431, "Request header too large");
      return;
    }
    if (ec == http::error::body_limit) { // Content-Length above the limit
      reply_and_close(413, "Payload Too Large: message exceeds " +
                               std::to_string(limits_.max_message_bytes) + " bytes");
      return;
    }
    if (ec) {
      shutdown();
      return;
    }
    auto& req = parser_->get();
    if (auto len = parser_->content_length(); len && *len > limits_.max_message_bytes) {
      reply_and_close(413, "Payload Too Large: message exceeds " +
                               std::to_string(limits_.max_message_bytes) + " bytes");
      return;
    }
    auto expect = req.find(http::field::expect);
    if (expect != req.end() && beast::iequals(expect->value(), "100-continue"))
      enqueue("HTTP/1.1 100 Continue\r\n\r\n", false);
    if (parser_->is_done()) {
      on_body({});
      return;
    }
    arm_read(limits_.read_timeout);
    reading_ = true;
    http::async_read(
        stream_, buf_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(error_code ec) {
    reading_ = false;
    if (done_)
      return;
    if (lingering_) {
      ec ? shutdown() : drain();
      return;
    }
    if (ec == http::error::body_limit) {
      reply_and_close(413, "Payload Too Large: message exceeds " +
                               std::to_string(limits_.max_message_bytes) + " bytes");
      return;
    }
    if (ec) {
      shutdown();
      return;
    }
    read_deadline_.cancel();
    dispatch(parser_->release());
    parser_.reset();
  }

  void dispatch(http::request<http::string_body> req) {
    http_request plain;
    plain.method = to_std(req.method_string());
    plain.target = to_std(req.target());
    plain.version = req.version();
    plain.keep_alive = req.keep_alive();
    for (const auto& field : req) {
      std::string name = to_std(field.name_string());
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      plain.headers.emplace_back(std::move(name), to_std(field.value()));
    }
    if (websocket::is_upgrade(req) && handler_->is_websocket_route(plain)) {
      if (int status = handler_->check_websocket(plain); status != 0) {
        reply_and_close(status, status == 403 ? "Forbidden: Host or Origin not allowed"
                                              : "Bad Request: subprotocol \"mcp\" required");
        return;
      }
      // Hand the stream over; this object is done with it.
      done_ = true;
      closed_.store(true);
      auto ws = std::make_shared<ws_connection<Stream>>(std::move(stream_), handler_, limits_,
                                                        std::move(slot_), keep_);
      ws->run(std::move(req));
      return;
    }
    plain.body = std::move(req.body());
    busy_ = true;
    sse_ = false;
    chunked_ = false;
    keep_alive_ = plain.keep_alive;
    version_ = plain.version;
    exchange_ = next_exchange_id();
    auto port = std::make_shared<port_type>(this->shared_from_this(), exchange_);
    handler_->handle(std::move(plain), std::move(port));
    // While the answer is pending or streams, watch for the client leaving.
    if (busy_ && !reading_ && buf_.size() == 0 && !done_)
      read_some();
  }

  void end_exchange() {
    exchange_ = 0;
    on_gone_ = nullptr;
    sse_ = false;
    busy_ = false;
    if (!keep_alive_) {
      close_after_flush_ = true;
      maybe_write();
      return;
    }
    if (reading_)
      arm_read(limits_.idle_timeout); // the pending read waits for the next request
    else
      next_request();
  }

  void reply_and_close(int status, const std::string& message) {
    header_list h{{"Content-Type", "application/json"}};
    enqueue(format_response(status, h, jsonrpc_error_body(protocol_bad_request, message), false),
            false);
    close_after_flush_ = true;
    maybe_write();
  }

  static constexpr int protocol_bad_request = -32000;

  void enqueue(std::string bytes, bool counted, std::size_t budgeted = 0) {
    out_.push_back(entry{std::move(bytes), counted ? budgeted : 0, counted});
    maybe_write();
  }

  void maybe_write() {
    if (done_ || writing_)
      return;
    if (out_.empty()) {
      if (close_after_flush_)
        graceful_close();
      return;
    }
    writing_ = true;
    write_deadline_.arm(limits_.read_timeout, [w = this->weak_from_this()] {
      if (auto self = w.lock())
        self->shutdown();
    });
    net::async_write(
        stream_, net::buffer(out_.front().bytes),
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    writing_ = false;
    write_deadline_.cancel();
    if (!out_.empty()) {
      if (out_.front().counted)
        budget_.release(out_.front().budget);
      out_.pop_front();
    }
    if (ec) {
      shutdown();
      return;
    }
    maybe_write();
  }

  // After the last byte of a closing answer (413, Connection: close): send
  // FIN, then read and drop what the client still sends for at most a
  // second, so that its kernel does not answer our close with a reset that
  // could destroy the answer before the client read it.
  void graceful_close() {
    if (done_ || lingering_)
      return;
    lingering_ = true;
    closed_.store(true);
    error_code ec;
    beast::get_lowest_layer(stream_).shutdown(tcp::socket::shutdown_send, ec);
    arm_read(std::chrono::seconds{1});
    if (!reading_)
      drain();
  }

  void drain() {
    reading_ = true;
    stream_.async_read_some(
        buf_.prepare(4096),
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_some(ec, n); });
  }

  void shutdown() {
    if (done_)
      return;
    done_ = true;
    closed_.store(true);
    read_deadline_.cancel();
    write_deadline_.cancel();
    error_code ec;
    auto& sock = beast::get_lowest_layer(stream_);
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
    for (auto& e : out_)
      if (e.counted)
        budget_.release(e.budget);
    out_.clear();
    slot_.release_count();
    exchange_ = 0;
    if (auto f = std::move(on_gone_)) {
      on_gone_ = nullptr;
      f();
    }
  }

  struct entry {
    std::string bytes;
    std::size_t budget;
    bool counted;
  };

  connection_slot slot_; // first: destroyed last (connection_slot)
  Stream stream_;
  deadline<typename Stream::executor_type> read_deadline_;
  deadline<typename Stream::executor_type> write_deadline_;
  std::shared_ptr<http_handler> handler_;
  outbound_budget budget_;
  transport_limits limits_;
  std::shared_ptr<void> keep_;
  beast::flat_buffer buf_;
  // Only while a request is read (it is ~300 bytes).
  std::unique_ptr<http::request_parser<http::string_body>> parser_;
  std::list<entry> out_;
  std::function<void()> on_gone_;
  std::uint64_t exchange_ = 0;
  unsigned version_ = 11;
  bool busy_ = false;
  bool reading_ = false;
  bool writing_ = false;
  services::sse_stream_flag sse_; // counts itself in the live metrics (metrics_live.hpp)
  bool chunked_ = false;
  bool keep_alive_ = true;
  bool close_after_flush_ = false;
  bool lingering_ = false;
  bool done_ = false;
  std::atomic<bool> closed_{false};
};

template <class Stream>
void start_http_connection(Stream&& s, std::shared_ptr<http_handler> handler,
                           const transport_limits& limits, connection_slot slot,
                           std::shared_ptr<void> keep) {
  std::make_shared<http_connection<Stream>>(std::move(s), std::move(handler), limits,
                                            std::move(slot), std::move(keep))
      ->run();
}

} // namespace cafmcp::transports::detail
