#include "channels.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "mcp_messages.hpp"

namespace loadgen {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using net::awaitable;
using net::use_awaitable;
using tcp = net::ip::tcp;

void bind_source(tcp::socket& s, const std::string& source) {
  s.open(tcp::v4());
  s.set_option(tcp::no_delay{true});
  if (source.empty())
    return;
  // Lets the kernel pick the port at connect time (per 4-tuple), so that one
  // source address is not limited to the ephemeral range once for all servers.
  int one = 1;
  ::setsockopt(s.native_handle(), IPPROTO_IP, 24 /* IP_BIND_ADDRESS_NO_PORT */, &one, sizeof one);
  s.bind(tcp::endpoint{net::ip::make_address(source), 0});
}

namespace {

std::string host_header(const options& opt) {
  return opt.host + ":" + std::to_string(opt.port);
}

// The JSON-RPC message of an SSE body: the data of the event holding a response.
std::string response_of_sse(const std::string& body) {
  std::string found;
  size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string::npos)
      end = body.size();
    std::string_view line{body.data() + pos, end - pos};
    if (line.substr(0, 5) == "data:") {
      auto data = line.substr(5);
      if (!data.empty() && data[0] == ' ')
        data.remove_prefix(1);
      if (is_response(data))
        found = std::string{data};
    }
    pos = end + 1;
  }
  return found;
}

class http_channel final : public channel {
public:
  http_channel(net::io_context& io, const options& opt)
      : sock_(io), target_(opt.path), host_(host_header(opt)), get_only_(opt.how == mode::get) {}

  awaitable<void> connect(const tcp::endpoint& server, const std::string& source) override {
    bind_source(sock_, source);
    co_await sock_.async_connect(server, use_awaitable);
  }

  awaitable<std::string> request(const std::string& message) override {
    auto res = co_await exchange(message);
    if (res.result() != http::status::ok)
      throw channel_error("HTTP " + std::to_string(res.result_int()) + ": " +
                          res.body().substr(0, 200));
    if (get_only_)
      co_return std::move(res.body());
    if (auto sid = res.find("mcp-session-id"); sid != res.end())
      session_id = std::string{sid->value()};
    auto type = res[http::field::content_type];
    if (type.find("text/event-stream") != beast::string_view::npos)
      co_return response_of_sse(res.body());
    co_return std::move(res.body());
  }

  awaitable<void> notify(const std::string& message) override {
    auto res = co_await exchange(message);
    if (res.result() != http::status::accepted)
      throw channel_error("notification: HTTP " + std::to_string(res.result_int()));
  }

private:
  awaitable<http::response<http::string_body>> exchange(const std::string& message) {
    http::request<http::string_body> req{get_only_ ? http::verb::get : http::verb::post, target_,
                                         11};
    req.set(http::field::host, host_);
    if (!get_only_) {
      req.set(http::field::content_type, "application/json");
      req.set(http::field::accept, "application/json, text/event-stream");
      if (!session_id.empty())
        req.set("Mcp-Session-Id", session_id);
      if (!version.empty())
        req.set("MCP-Protocol-Version", version);
      req.body() = message;
      req.prepare_payload();
    }
    co_await http::async_write(sock_, req, use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(sock_, buffer_, res, use_awaitable);
    if (res.need_eof())
      throw channel_error("server closed the connection after HTTP " +
                          std::to_string(res.result_int()));
    co_return res;
  }

  tcp::socket sock_;
  beast::flat_buffer buffer_;
  std::string target_;
  std::string host_;
  bool get_only_;
};

class ws_channel final : public channel {
public:
  ws_channel(net::io_context& io, const options& opt)
      : ws_(io), target_(opt.path), host_(host_header(opt)) {}

  awaitable<void> connect(const tcp::endpoint& server, const std::string& source) override {
    bind_source(ws_.next_layer(), source);
    co_await ws_.next_layer().async_connect(server, use_awaitable);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(http::field::sec_websocket_protocol, "mcp"); }));
    websocket::response_type res;
    co_await ws_.async_handshake(res, host_, target_, use_awaitable);
    if (res[http::field::sec_websocket_protocol] != "mcp")
      throw channel_error("websocket: subprotocol mcp not chosen");
    ws_.text(true);
  }

  awaitable<std::string> request(const std::string& message) override {
    co_await ws_.async_write(net::buffer(message), use_awaitable);
    for (;;) {
      buffer_.clear();
      co_await ws_.async_read(buffer_, use_awaitable);
      std::string text = beast::buffers_to_string(buffer_.data());
      if (is_response(text))
        co_return text;
    }
  }

  awaitable<void> notify(const std::string& message) override {
    co_await ws_.async_write(net::buffer(message), use_awaitable);
  }

private:
  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  std::string target_;
  std::string host_;
};

class tcp_channel final : public channel {
public:
  tcp_channel(net::io_context& io, const options&) : sock_(io) {}

  awaitable<void> connect(const tcp::endpoint& server, const std::string& source) override {
    bind_source(sock_, source);
    co_await sock_.async_connect(server, use_awaitable);
  }

  awaitable<std::string> request(const std::string& message) override {
    co_await send_line(message);
    for (;;) {
      auto n = co_await net::async_read_until(sock_, net::dynamic_buffer(in_), '\n', use_awaitable);
      std::string line = in_.substr(0, n - 1);
      in_.erase(0, n);
      if (is_response(line))
        co_return line;
    }
  }

  awaitable<void> notify(const std::string& message) override { co_await send_line(message); }

private:
  awaitable<void> send_line(const std::string& message) {
    out_ = message;
    out_ += '\n';
    co_await net::async_write(sock_, net::buffer(out_), use_awaitable);
  }

  tcp::socket sock_;
  std::string in_;
  std::string out_;
};

} // namespace

std::unique_ptr<channel> make_channel(net::io_context& io, const options& opt) {
  switch (opt.how) {
  case mode::ws:
    return std::make_unique<ws_channel>(io, opt);
  case mode::tcp:
    return std::make_unique<tcp_channel>(io, opt);
  case mode::http:
  case mode::get:
    break;
  }
  return std::make_unique<http_channel>(io, opt);
}

awaitable<std::shared_ptr<tcp::socket>> open_get_stream(net::io_context& io, const options& opt,
                                                        const tcp::endpoint& server,
                                                        const std::string& source,
                                                        const std::string& session_id,
                                                        const std::string& version) {
  auto sock = std::make_shared<tcp::socket>(io);
  bind_source(*sock, source);
  co_await sock->async_connect(server, use_awaitable);
  http::request<http::empty_body> req{http::verb::get, opt.path, 11};
  req.set(http::field::host, host_header(opt));
  req.set(http::field::accept, "text/event-stream");
  req.set("Mcp-Session-Id", session_id);
  req.set("MCP-Protocol-Version", version);
  co_await http::async_write(*sock, req, use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  co_await http::async_read_header(*sock, buffer, parser, use_awaitable);
  auto& res = parser.get();
  if (res.result() != http::status::ok ||
      res[http::field::content_type].find("text/event-stream") == beast::string_view::npos)
    throw channel_error("GET stream: HTTP " + std::to_string(res.result_int()));
  co_return sock;
}

awaitable<void> drain(std::shared_ptr<tcp::socket> sock) {
  char sink[256];
  for (;;)
    co_await sock->async_read_some(net::buffer(sink), use_awaitable);
}

} // namespace loadgen
