#pragma once
// A node in-process with its admin endpoint on a free loopback port, and a
// small blocking HTTP client for it (plain sockets: the test must not share
// code with the server it checks).

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

#include "../tree/node_fixture.hpp"
#include "cafmcp/app/admin/admin_server.hpp"

namespace obs_test {

using tree_test::json;
namespace app = cafmcp::app;

struct http_result {
  int status = 0;
  std::string head; // status line and headers
  std::string body;
};

inline int connect_to(uint16_t port, int timeout_s = 10) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

inline std::string request_text(const std::string& method, const std::string& target,
                                const std::string& token) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty())
    req += "Authorization: Bearer " + token + "\r\n";
  return req + "Content-Length: 0\r\nConnection: close\r\n\r\n";
}

inline http_result http(uint16_t port, const std::string& method, const std::string& target,
                        const std::string& token = {}) {
  http_result out;
  int fd = connect_to(port);
  if (fd < 0)
    return out;
  auto req = request_text(method, target, token);
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  auto body_at = raw.find("\r\n\r\n");
  if (raw.size() < 12 || body_at == std::string::npos)
    return out;
  out.status = std::stoi(raw.substr(9, 3));
  out.head = raw.substr(0, body_at);
  out.body = raw.substr(body_at + 4);
  return out;
}

// Polls `pred` every 20 ms until it holds; false when `limit` passes first.
// (test::eventually spins, which over HTTP would open thousands of connections a second.)
inline bool within(const std::function<bool()>& pred,
                   std::chrono::milliseconds limit = std::chrono::seconds{10}) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (pred())
      return true;
    if (std::chrono::steady_clock::now() >= until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

// An open /dashboard/events stream, read event by event.
class event_reader {
public:
  event_reader(uint16_t port, const std::string& target) : fd_(connect_to(port, 5)) {
    if (fd_ < 0)
      return;
    auto req = request_text("GET", target, {});
    ::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~event_reader() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  const std::string& head() const { return head_; }

  // The data of the next "update" event; empty when none came within about `limit`.
  std::string next_update(std::chrono::milliseconds limit = std::chrono::seconds{5}) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (head_.empty()) {
        auto end = buf_.find("\r\n\r\n");
        if (end != std::string::npos) {
          head_ = buf_.substr(0, end);
          buf_.erase(0, end + 4);
          continue;
        }
      } else {
        auto end = buf_.find("\n\n");
        if (end != std::string::npos) {
          auto event = buf_.substr(0, end);
          buf_.erase(0, end + 2);
          if (event.find("event: update") == std::string::npos)
            continue;
          auto data = event.find("data: ");
          if (data != std::string::npos)
            return event.substr(data + 6);
          continue;
        }
      }
      char buf[16384];
      auto n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0)
        return {};
      buf_.append(buf, static_cast<size_t>(n));
    }
    return {};
  }

private:
  int fd_ = -1;
  std::string head_;
  std::string buf_;
};

// node_fixture (tests/tree) restarted with the caller's config changes, plus
// the admin endpoint on a free port.
struct admin_fixture : tree_test::node_fixture {
  std::string token = "obs-test-token";
  std::unique_ptr<app::admin_server> admin;
  uint16_t port = 0;

  explicit admin_fixture(std::function<void(app::node_config&)> tweak = {},
                         bool metrics_require_token = false, size_t num_pools = 4)
      : node_fixture(num_pools, 200) {
    if (tweak) {
      auto server = node->state().server;
      node->stop();
      node.reset();
      tweak(node_cfg);
      node = std::make_unique<app::node>(sys, node_cfg, server);
      auto err = node->start();
      REQUIRE_MESSAGE(!err, sys.render(err));
    }
    auto handler = std::make_shared<app::admin_handler>(sys, *node, token, metrics_require_token);
    auto started = app::admin_server::start(handler, "127.0.0.1", 0);
    REQUIRE(started);
    admin = std::move(*started);
    port = admin->port();
  }

  ~admin_fixture() {
    if (admin)
      admin->stop();
  }

  http_result get(const std::string& target, bool with_token = true) {
    return http(port, "GET", target, with_token ? token : std::string{});
  }
  http_result kill(const std::string& name) {
    return http(port, "POST", "/kill?name=" + name + "&reason=kill", token);
  }
};

} // namespace obs_test
