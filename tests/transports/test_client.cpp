#include "test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace cafmcp::test {

namespace {

using clock_type = std::chrono::steady_clock;

int remaining_ms(clock_type::time_point until) {
  auto d = std::chrono::duration_cast<milliseconds>(until - clock_type::now()).count();
  return d < 0 ? 0 : static_cast<int>(d);
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t'))
    s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
    ++i;
  return s.substr(i);
}

} // namespace

bool eventually(const std::function<bool()>& pred, milliseconds limit) {
  auto until = clock_type::now() + limit;
  while (!pred()) {
    if (clock_type::now() >= until)
      return false;
    std::this_thread::sleep_for(milliseconds{2});
  }
  return true;
}

// -- conn ----------------------------------------------------------------------

std::unique_ptr<conn> conn::connect(std::uint16_t port, bool tls, const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return nullptr;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return nullptr;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  std::unique_ptr<conn> c{new conn};
  c->fd_ = fd;
  if (tls) {
    auto* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    auto* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    c->ctx_ = ctx;
    c->ssl_ = ssl;
    if (SSL_connect(ssl) != 1)
      return nullptr;
  }
  return c;
}

conn::~conn() {
  if (ssl_)
    SSL_free(static_cast<SSL*>(ssl_));
  if (ctx_)
    SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
  if (fd_ >= 0)
    ::close(fd_);
}

void conn::set_receive_buffer(int bytes) {
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

bool conn::write(std::string_view bytes) {
  while (!bytes.empty()) {
    long n;
    if (ssl_)
      n = SSL_write(static_cast<SSL*>(ssl_), bytes.data(), static_cast<int>(bytes.size()));
    else
      n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (!ssl_ && n < 0 && errno == EINTR)
        continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool conn::fill(milliseconds limit) {
  if (eof_)
    return false;
  char tmp[16384];
  if (!(ssl_ && SSL_pending(static_cast<SSL*>(ssl_)) > 0)) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(limit.count()));
    if (r <= 0)
      return false;
  }
  long n;
  if (ssl_)
    n = SSL_read(static_cast<SSL*>(ssl_), tmp, sizeof(tmp));
  else
    n = ::recv(fd_, tmp, sizeof(tmp), 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buf_.append(tmp, static_cast<std::size_t>(n));
  return true;
}

bool conn::wait_closed(milliseconds limit) {
  auto until = clock_type::now() + limit;
  while (!eof_) {
    if (clock_type::now() >= until)
      return false;
    fill(milliseconds{remaining_ms(until)});
    buf_.clear();
  }
  return true;
}

void conn::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

// -- line_client ------------------------------------------------------------------

std::optional<std::string> line_client::read_line(milliseconds limit) {
  auto until = clock_type::now() + limit;
  for (;;) {
    auto& b = c_->buffer();
    auto nl = b.find('\n');
    if (nl != std::string::npos) {
      auto line = b.substr(0, nl);
      b.erase(0, nl + 1);
      return line;
    }
    if (!c_->fill(milliseconds{remaining_ms(until)}))
      return std::nullopt;
  }
}

// -- http_client -------------------------------------------------------------------

bool http_client::send(const std::string& method, const std::string& target,
                       std::vector<std::pair<std::string, std::string>> headers,
                       const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\n";
  bool has_host = false;
  for (const auto& [k, v] : headers)
    if (lower(k) == "host")
      has_host = true;
  if (!has_host)
    req += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (const auto& [k, v] : headers)
    req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  return c_->write(req);
}

std::optional<http_response> http_client::read_head(milliseconds limit) {
  auto until = clock_type::now() + limit;
  auto& b = c_->buffer();
  std::size_t end;
  for (;;) {
    end = b.find("\r\n\r\n");
    if (end != std::string::npos)
      break;
    if (!c_->fill(milliseconds{remaining_ms(until)}))
      return std::nullopt;
  }
  std::string head = b.substr(0, end);
  b.erase(0, end + 4);
  http_response res;
  auto line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  auto sp = status_line.find(' ');
  if (sp == std::string::npos)
    return std::nullopt;
  res.status = std::atoi(status_line.c_str() + sp + 1);
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto e = head.find("\r\n", pos);
    if (e == std::string::npos)
      e = head.size();
    auto line = head.substr(pos, e - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos)
      res.headers.emplace(lower(line.substr(0, colon)), trim(line.substr(colon + 1)));
    pos = e + 2;
  }
  body_.clear();
  chunked_ = lower(res.header("transfer-encoding")).find("chunked") != std::string::npos;
  until_close_ = false;
  remaining_.reset();
  if (res.status == 100 || res.status == 101) {
    body_done_ = true;
  } else if (chunked_) {
    body_done_ = false;
  } else if (res.has("content-length")) {
    remaining_ = static_cast<std::size_t>(std::stoull(res.header("content-length")));
    body_done_ = *remaining_ == 0;
  } else {
    until_close_ = true;
    body_done_ = false;
  }
  return res;
}

// Moves decoded body bytes from the socket buffer into body_; reads more when
// nothing could be decoded. False on timeout/EOF without progress.
bool http_client::decode_body(milliseconds limit) {
  auto until = clock_type::now() + limit;
  auto& b = c_->buffer();
  for (;;) {
    bool progress = false;
    if (until_close_) {
      if (!b.empty()) {
        body_ += b;
        b.clear();
        progress = true;
      }
      if (c_->eof()) {
        body_done_ = true;
        return true;
      }
    } else if (!chunked_) {
      auto n = std::min(*remaining_, b.size());
      if (n > 0) {
        body_.append(b, 0, n);
        b.erase(0, n);
        *remaining_ -= n;
        progress = true;
      }
      if (*remaining_ == 0) {
        body_done_ = true;
        return true;
      }
    } else {
      while (!body_done_) {
        if (!remaining_) {
          auto e = b.find("\r\n");
          if (e == std::string::npos)
            break;
          auto size = std::stoul(b.substr(0, e), nullptr, 16);
          if (size == 0) {
            if (b.size() < e + 4)
              break;
            b.erase(0, e + 4); // "0\r\n\r\n"
            body_done_ = true;
            progress = true;
            break;
          }
          b.erase(0, e + 2);
          remaining_ = size;
        }
        auto n = std::min(*remaining_, b.size());
        body_.append(b, 0, n);
        b.erase(0, n);
        *remaining_ -= n;
        if (n > 0)
          progress = true;
        if (*remaining_ > 0)
          break;
        if (b.size() < 2)
          break;
        b.erase(0, 2);
        remaining_.reset();
      }
      if (body_done_)
        return true;
    }
    if (progress)
      return true;
    if (!c_->fill(milliseconds{remaining_ms(until)})) {
      if (until_close_ && c_->eof()) {
        body_done_ = true;
        return true;
      }
      return false;
    }
  }
}

bool http_client::read_body(http_response& res, milliseconds limit) {
  auto until = clock_type::now() + limit;
  while (!body_done_)
    if (!decode_body(milliseconds{remaining_ms(until)}))
      return false;
  res.body = std::move(body_);
  body_.clear();
  return true;
}

std::optional<http_response> http_client::read_response(milliseconds limit) {
  auto until = clock_type::now() + limit;
  auto res = read_head(limit);
  while (res && res->status == 100)
    res = read_head(milliseconds{remaining_ms(until)});
  if (!res || !read_body(*res, milliseconds{remaining_ms(until)}))
    return std::nullopt;
  return res;
}

std::optional<sse_event> http_client::next_event(milliseconds limit) {
  auto until = clock_type::now() + limit;
  for (;;) {
    // An event ends with a blank line.
    auto e = body_.find("\n\n");
    if (e != std::string::npos) {
      auto block = body_.substr(0, e);
      body_.erase(0, e + 2);
      sse_event ev;
      bool any = false;
      std::size_t pos = 0;
      while (pos <= block.size()) {
        auto nl = block.find('\n', pos);
        auto line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? block.size() + 1 : nl + 1;
        if (line.empty() || line[0] == ':')
          continue;
        auto colon = line.find(':');
        auto field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ')
          value.erase(0, 1);
        any = true;
        if (field == "id")
          ev.id = value;
        else if (field == "event")
          ev.event = value;
        else if (field == "data")
          ev.data += (ev.data.empty() ? "" : "\n") + value;
        else if (field == "retry")
          ev.retry = std::stol(value);
      }
      if (any)
        return ev;
      continue;
    }
    if (body_done_)
      return std::nullopt;
    if (!decode_body(milliseconds{remaining_ms(until)}))
      return std::nullopt;
  }
}

std::optional<http_response> http_client::post_mcp(const std::string& json,
                                                   const std::string& session,
                                                   const std::string& path) {
  std::vector<std::pair<std::string, std::string>> h{
      {"Content-Type", "application/json"},
      {"Accept", "application/json, text/event-stream"},
  };
  if (!session.empty()) {
    h.emplace_back("Mcp-Session-Id", session);
    h.emplace_back("MCP-Protocol-Version", "2025-11-25");
  }
  if (!send("POST", path, h, json))
    return std::nullopt;
  return read_response();
}

// -- ws_client ----------------------------------------------------------------------

std::optional<http_response> ws_client::handshake(const std::string& path,
                                                  const std::string& protocols,
                                                  const std::string& origin) {
  std::string req = "GET " + path +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n";
  if (!protocols.empty())
    req += "Sec-WebSocket-Protocol: " + protocols + "\r\n";
  if (!origin.empty())
    req += "Origin: " + origin + "\r\n";
  req += "\r\n";
  if (!c_->write(req))
    return std::nullopt;
  auto& b = c_->buffer();
  auto until = clock_type::now() + io_deadline;
  std::size_t end;
  for (;;) {
    end = b.find("\r\n\r\n");
    if (end != std::string::npos)
      break;
    if (!c_->fill(milliseconds{remaining_ms(until)}))
      return std::nullopt;
  }
  http_response res;
  std::string head = b.substr(0, end);
  b.erase(0, end + 4);
  res.status = std::atoi(head.c_str() + head.find(' ') + 1);
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    pos += 2;
    auto e = head.find("\r\n", pos);
    auto line = head.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos)
      res.headers.emplace(lower(line.substr(0, colon)), trim(line.substr(colon + 1)));
    pos = e;
  }
  if (res.status != 101) {
    // Drop the body, if any.
    if (res.has("content-length")) {
      auto n = static_cast<std::size_t>(std::stoull(res.header("content-length")));
      while (b.size() < n && c_->fill())
        ;
      res.body = b.substr(0, n);
      b.erase(0, std::min(n, b.size()));
    }
  }
  return res;
}

bool ws_client::send_frame(int opcode, std::string_view payload) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  auto n = payload.size();
  if (n < 126) {
    f += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((n >> 8) & 0xff);
    f += static_cast<char>(n & 0xff);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int i = 7; i >= 0; --i)
      f += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff);
  }
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  for (auto m : mask)
    f += static_cast<char>(m);
  for (std::size_t i = 0; i < n; ++i)
    f += static_cast<char>(payload[i] ^ mask[i % 4]);
  return c_->write(f);
}

bool ws_client::send_text(std::string_view text) {
  return send_frame(0x1, text);
}

bool ws_client::send_ping(std::string_view payload) {
  return send_frame(0x9, payload);
}

bool ws_client::send_close() {
  return send_frame(0x8, std::string_view{"\x03\xe8", 2});
}

std::optional<std::string> ws_client::recv_text(milliseconds limit) {
  auto until = clock_type::now() + limit;
  auto& b = c_->buffer();
  std::string message;
  for (;;) {
    // Parse one frame if complete.
    if (b.size() >= 2) {
      auto b0 = static_cast<unsigned char>(b[0]);
      auto b1 = static_cast<unsigned char>(b[1]);
      std::size_t len = b1 & 0x7f;
      std::size_t hdr = 2;
      if (len == 126) {
        if (b.size() < 4)
          goto more;
        len = (static_cast<unsigned char>(b[2]) << 8) | static_cast<unsigned char>(b[3]);
        hdr = 4;
      } else if (len == 127) {
        if (b.size() < 10)
          goto more;
        len = 0;
        for (int i = 0; i < 8; ++i)
          len = (len << 8) | static_cast<unsigned char>(b[2 + static_cast<std::size_t>(i)]);
        hdr = 10;
      }
      if ((b1 & 0x80) != 0)
        hdr += 4; // servers never mask; tolerate
      if (b.size() < hdr + len)
        goto more;
      std::string payload = b.substr(hdr, len);
      b.erase(0, hdr + len);
      int opcode = b0 & 0x0f;
      bool fin = (b0 & 0x80) != 0;
      if (opcode == 0x9) {
        ++pings_seen;
        send_frame(0xA, payload);
        continue;
      }
      if (opcode == 0xA) {
        ++pongs_seen;
        continue;
      }
      if (opcode == 0x8) {
        closed_ = true;
        if (payload.size() >= 2)
          close_code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                  static_cast<unsigned char>(payload[1]));
        return std::nullopt;
      }
      message += payload;
      if (fin)
        return message;
      continue;
    }
  more:
    if (!c_->fill(milliseconds{remaining_ms(until)})) {
      if (c_->eof())
        closed_ = true;
      return std::nullopt;
    }
  }
}

} // namespace cafmcp::test
