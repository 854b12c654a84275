#include "cafmcp/app/chaos/admin_client.hpp"

#include <charconv>

#include <caf/sec.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cafmcp::app {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

admin_client::admin_client(std::string host, std::uint16_t port, std::string token)
    : host_(std::move(host)), port_(port), token_(std::move(token)) {}

caf::expected<admin_reply> admin_client::get(const std::string& target) const {
  return request(false, target);
}

caf::expected<admin_reply> admin_client::post(const std::string& target) const {
  return request(true, target);
}

caf::expected<admin_reply> admin_client::request(bool post, const std::string& target) const {
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream{io};
    stream.expires_after(std::chrono::seconds{5});
    tcp::resolver resolver{io};
    stream.connect(resolver.resolve(host_, std::to_string(port_)));
    http::request<http::empty_body> req{post ? http::verb::post : http::verb::get, target, 11};
    req.set(http::field::host, host_ + ":" + std::to_string(port_));
    req.set(http::field::authorization, "Bearer " + token_);
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return admin_reply{static_cast<int>(res.result_int()), res.body()};
  } catch (const std::exception& e) {
    return caf::make_error(caf::sec::runtime_error, "admin endpoint " + host_ + ":" +
                                                        std::to_string(port_) + target + ": " +
                                                        e.what());
  }
}

caf::expected<admin_client> admin_client::from_url(const std::string& url, std::string token) {
  std::string rest = url;
  const std::string scheme = "http://";
  if (rest.compare(0, scheme.size(), scheme) == 0)
    rest = rest.substr(scheme.size());
  while (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  auto colon = rest.rfind(':');
  unsigned port = 0;
  if (colon != std::string::npos) {
    auto digits = rest.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size())
      port = 0;
  }
  if (colon == std::string::npos || colon == 0 || port == 0 || port > 65535)
    return caf::make_error(caf::sec::runtime_error,
                           "--target must be http://HOST:PORT of the admin endpoint, got " + url);
  return admin_client{rest.substr(0, colon), static_cast<std::uint16_t>(port), std::move(token)};
}

} // namespace cafmcp::app
