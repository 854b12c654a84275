#pragma once
// The small non-template seam between the Asio/Beast connections and the
// actors (DESIGN.md §6): connections implement the ports, the actor side
// implements the handlers. No Asio, Beast or CAF type appears here.
//
// Every port method is thread-safe and never blocks: it posts to the
// connection's strand. Inbound handlers are called on the io thread and must
// not block either (they send CAF messages).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cafmcp::transports {

/// The write side of a connection, as an actor sees it. The queue behind it
/// is bounded (transport_limits::outbound_queue_*): a send that passes the
/// bound drops the connection at once and returns false.
class outbound_port {
public:
  virtual ~outbound_port() = default;
  /// Queues one message (TCP/stdio add the newline, WebSocket sends a text
  /// frame, an SSE exchange sends the text as one chunk).
  virtual bool send(std::string message) = 0;
  /// Writes what is queued, then closes.
  virtual void close() = 0;
  virtual bool closed() const noexcept = 0;
};

/// What a connection reports to its session, on the io thread. on_closed
/// comes exactly once, when the connection is gone. on_eof (optional; TCP
/// and stdio) comes when the peer ended its input but can still read: the
/// session then answers what is in flight and calls close().
struct inbound_handlers {
  std::function<void(std::string)> on_message;
  std::function<void(std::size_t)> on_too_large;
  std::function<void()> on_eof;
  std::function<void()> on_closed;
};

/// Starts the session of a new line/WebSocket connection.
using session_starter = std::function<inbound_handlers(std::shared_ptr<outbound_port>)>;

using header_list = std::vector<std::pair<std::string, std::string>>;

/// An HTTP request as parsed by Beast, copied into plain types.
struct http_request {
  std::string method; ///< upper case as sent, e.g. "POST"
  std::string target; ///< path and query
  unsigned version = 11;
  header_list headers; ///< names in lower case, in arrival order
  std::string body;
  bool keep_alive = true;

  std::optional<std::string_view> header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name)
        return std::string_view{v};
    return std::nullopt;
  }
  std::size_t header_count(std::string_view lower_name) const {
    std::size_t n = 0;
    for (const auto& kv : headers)
      if (kv.first == lower_name)
        ++n;
    return n;
  }
  std::string_view path() const {
    std::string_view t{target};
    return t.substr(0, t.find('?'));
  }
  /// The decoded value of a query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
};

/// One request/response exchange on an HTTP connection. Calls after the
/// exchange ended (respond/finish/close) are ignored, so a late actor can
/// never write into the next exchange of a keep-alive connection. A port
/// dropped without an answer (its session actor ended with it still in the
/// mailbox) answers 404 "Session not found" itself, or ends its SSE stream.
class http_stream_port : public outbound_port {
public:
  /// A complete response; ends the exchange.
  virtual void respond(int status, header_list headers, std::string body) = 0;
  /// Starts a `text/event-stream` response (chunked); send() then writes
  /// preformatted SSE text.
  virtual void open_sse(header_list headers) = 0;
  /// Ends the SSE response; the connection goes on with the next request.
  virtual void finish() = 0;
  /// Unique per process.
  virtual std::uint64_t exchange_id() const noexcept = 0;
  /// Called (on the io thread) if the connection goes away while this
  /// exchange is open. Set it only inside http_handler::handle().
  virtual void set_on_gone(std::function<void()> f) = 0;
};

/// The HTTP application behind a listener (http_service.hpp implements it).
class http_handler {
public:
  virtual ~http_handler() = default;
  /// Answers through `port`, now or later. Runs on the connection's strand.
  virtual void handle(http_request req, std::shared_ptr<http_stream_port> port) = 0;
  /// Whether `req` is a WebSocket upgrade this listener serves.
  virtual bool is_websocket_route(const http_request& req) const = 0;
  /// 0 to accept the upgrade, else the HTTP status to refuse it with.
  virtual int check_websocket(const http_request& req) const = 0;
  virtual inbound_handlers start_websocket(std::shared_ptr<outbound_port> port) = 0;
};

} // namespace cafmcp::transports
