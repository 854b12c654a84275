#pragma once
// Minimal blocking clients for the transport tests, on plain POSIX sockets
// (and OpenSSL for TLS): a line client (TCP), an HTTP/1.1 client with
// keep-alive, chunked decoding and an SSE reader, and a WebSocket client.
// Written by hand rather than with Beast so that each test can also send
// what a well-behaved library never would (partial lines, dribbled headers,
// oversized frames), and so that the server's Beast code is checked against
// an independent implementation. Every read has a deadline.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cafmcp::test {

using std::chrono::milliseconds;
inline constexpr milliseconds io_deadline{10000};

/// A connected socket (TLS optional) with a receive buffer.
class conn {
public:
  static std::unique_ptr<conn> connect(std::uint16_t port, bool tls = false,
                                       const std::string& host = "127.0.0.1");
  ~conn();
  bool write(std::string_view bytes);
  /// Reads what is available (waiting up to `limit` for something); false on
  /// EOF, error or timeout.
  bool fill(milliseconds limit = io_deadline);
  /// True if the peer closed (EOF/reset) within `limit`; drains data meanwhile.
  bool wait_closed(milliseconds limit = io_deadline);
  void shutdown_write();
  std::string& buffer() { return buf_; }
  bool eof() const { return eof_; }
  /// Sets the kernel receive buffer (small: a slow reader's window).
  void set_receive_buffer(int bytes);

private:
  conn() = default;
  int fd_ = -1;
  void* ssl_ = nullptr; // SSL*
  void* ctx_ = nullptr; // SSL_CTX*
  std::string buf_;
  bool eof_ = false;
};

/// Newline-delimited JSON-RPC.
class line_client {
public:
  explicit line_client(std::uint16_t port) : c_(conn::connect(port)) {}
  bool ok() const { return c_ != nullptr; }
  bool send_line(const std::string& json) { return c_->write(json + "\n"); }
  bool send_raw(std::string_view bytes) { return c_->write(bytes); }
  std::optional<std::string> read_line(milliseconds limit = io_deadline);
  conn& raw() { return *c_; }

private:
  std::unique_ptr<conn> c_;
};

struct sse_event {
  std::string id;
  std::string event;
  std::string data;
  std::optional<long> retry;
};

struct http_response {
  int status = 0;
  std::multimap<std::string, std::string> headers; // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto i = headers.find(name);
    return i == headers.end() ? std::string{} : i->second;
  }
  bool has(const std::string& name) const { return headers.count(name) > 0; }
};

class http_client {
public:
  explicit http_client(std::uint16_t port, bool tls = false)
      : c_(conn::connect(port, tls)), port_(port) {}
  bool ok() const { return c_ != nullptr; }

  /// Sends a request; adds Host (unless given) and Content-Length.
  bool send(const std::string& method, const std::string& target,
            std::vector<std::pair<std::string, std::string>> headers = {},
            const std::string& body = {});
  /// Reads a response head; then either its whole body (read_body) or SSE events.
  std::optional<http_response> read_head(milliseconds limit = io_deadline);
  bool read_body(http_response& res, milliseconds limit = io_deadline);
  /// Head + body.
  std::optional<http_response> read_response(milliseconds limit = io_deadline);
  /// The next SSE event of the current streamed body; nullopt at its end
  /// (stream_ended() then) or on timeout.
  std::optional<sse_event> next_event(milliseconds limit = io_deadline);
  bool stream_ended() const { return body_done_; }
  conn& raw() { return *c_; }

  /// POST to /mcp with the headers a Streamable HTTP client sends.
  std::optional<http_response> post_mcp(const std::string& json, const std::string& session = {},
                                        const std::string& path = "/mcp");

private:
  bool decode_body(milliseconds limit);
  std::unique_ptr<conn> c_;
  std::uint16_t port_;
  // body decoding state of the current response
  bool chunked_ = false;
  std::optional<std::size_t> remaining_; // content-length left / current chunk left
  bool body_done_ = true;
  bool until_close_ = false;
  std::string body_; // decoded, not yet consumed
};

class ws_client {
public:
  explicit ws_client(std::uint16_t port, bool tls = false) : c_(conn::connect(port, tls)) {}
  bool ok() const { return c_ != nullptr; }
  /// The upgrade; returns the status and the response headers.
  std::optional<http_response> handshake(const std::string& path,
                                         const std::string& protocols = "mcp",
                                         const std::string& origin = {});
  bool send_text(std::string_view text);
  bool send_ping(std::string_view payload = "hi");
  bool send_close();
  /// Next text message; answers pings; records pongs and pings seen.
  std::optional<std::string> recv_text(milliseconds limit = io_deadline);
  bool closed() const { return closed_; }
  int pings_seen = 0;
  int pongs_seen = 0;
  std::uint16_t close_code = 0;
  conn& raw() { return *c_; }

private:
  bool send_frame(int opcode, std::string_view payload);
  std::unique_ptr<conn> c_;
  bool closed_ = false;
};

/// Polls `pred` until it holds or `limit` passes (for state that has no
/// event to wait on, like a closed connection seen from outside).
bool eventually(const std::function<bool()>& pred, milliseconds limit = io_deadline);

} // namespace cafmcp::test
