#pragma once
// A node's admin endpoint seen from another process: one blocking HTTP/1.1
// request per call, with the bearer token. For the chaos runner's threads,
// never for CAF or Asio threads.

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/expected.hpp>

namespace cafmcp::app {

struct admin_reply {
  int status = 0;
  std::string body;
};

class admin_client {
public:
  admin_client(std::string host, std::uint16_t port, std::string token);

  caf::expected<admin_reply> get(const std::string& target) const;
  caf::expected<admin_reply> post(const std::string& target) const;

  // "http://127.0.0.1:9090" or "127.0.0.1:9090" -> host and port.
  static caf::expected<admin_client> from_url(const std::string& url, std::string token);

private:
  caf::expected<admin_reply> request(bool post, const std::string& target) const;

  std::string host_;
  std::uint16_t port_;
  std::string token_;
};

} // namespace cafmcp::app
