// The admin endpoint: the live tree as JSON and kills by name, behind a token,
// over a real loopback socket and through the handler.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../tree/node_fixture.hpp"
#include "cafmcp/app/admin/admin_server.hpp"

using tree_test::json;
using tree_test::node_fixture;
namespace app = cafmcp::app;

namespace {

// A minimal HTTP/1.1 exchange over a plain socket; returns (status, body).
std::pair<int, std::string> http(uint16_t port, const std::string& method,
                                 const std::string& target, const std::string& token) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return {0, {}};
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty())
    req += "Authorization: Bearer " + token + "\r\n";
  req += "Content-Length: 0\r\nConnection: close\r\n\r\n";
  ::send(fd, req.data(), req.size(), 0);
  std::string raw;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  if (raw.size() < 12)
    return {0, raw};
  auto body_at = raw.find("\r\n\r\n");
  return {std::stoi(raw.substr(9, 3)), body_at == std::string::npos ? "" : raw.substr(body_at + 4)};
}

const json* find_child(const json& node, const std::string& name) {
  if (node.value("name", "") == name)
    return &node;
  if (node.contains("children"))
    for (auto& c : node["children"])
      if (auto* found = find_child(c, name))
        return found;
  return nullptr;
}

} // namespace

TEST_CASE("admin endpoint serves the live tree and kills a pool by name over loopback") {
  node_fixture f;
  auto handler = std::make_shared<app::admin_handler>(f.sys, *f.node, "secret");
  auto server = app::admin_server::start(handler, "127.0.0.1", 0);
  REQUIRE(server);
  auto port = (*server)->port();
  REQUIRE(port != 0);

  CHECK(http(port, "GET", "/tree", "").first == 401);
  CHECK(http(port, "GET", "/tree", "wrong").first == 401);
  auto [status, body] = http(port, "GET", "/tree", "secret");
  REQUIRE(status == 200);
  auto tree = json::parse(body);
  CHECK(tree["name"] == "cafmcp_sup");
  auto* pools = find_child(tree, "connection_pool_sup");
  REQUIRE(pools);
  CHECK((*pools)["counts"]["supervisors"] == 10);
  CHECK(find_child(tree, "session_manager"));

  test::report_listener reports{f.sys};
  auto killed = http(port, "POST", "/kill?name=pool_3&reason=kill", "secret");
  CHECK(killed.first == 200);
  auto term = reports.await(sup::report_kind::child_terminated, "connection_pool_sup", "pool_3");
  REQUIRE(term);
  CHECK(term->reason == caf::exit_reason::kill);
  REQUIRE(reports.await(sup::report_kind::child_started, "connection_pool_sup", "pool_3"));
  (*server)->stop();
}

TEST_CASE("admin kills with a chosen reason, by session id, and refuses bad requests") {
  node_fixture f;
  app::admin_handler h{f.sys, *f.node, "t"};
  auto call = [&](const std::string& method, const std::string& target) {
    return h.handle(app::admin_request{method, target, "Bearer t"});
  };
  test::report_listener reports{f.sys};
  CHECK(call("POST", "/kill?name=session_manager&reason=error").status == 200);
  auto term = reports.await(sup::report_kind::child_terminated, "config_sup", "session_manager");
  REQUIRE(term);
  CHECK(term->reason == caf::sec::runtime_error);

  auto s = f.open_initialized();
  REQUIRE(s);
  f.self->monitor(s->server);
  CHECK(call("POST", "/kill?name=session:" + s->id + "&reason=shutdown").status == 200);
  CHECK(f.await_exit(s->server) == caf::error{caf::exit_reason::user_shutdown});

  CHECK(call("POST", "/kill?name=nobody").status == 404);
  CHECK(call("POST", "/kill?name=registry&reason=maybe").status == 400);
  CHECK(call("POST", "/kill").status == 400);
  CHECK(call("GET", "/kill?name=registry").status == 405);
  CHECK(call("GET", "/nowhere").status == 404);
  auto health = call("GET", "/health");
  CHECK((health.status == 200 || health.status == 503));
  CHECK(json::parse(call("GET", "/dashboard.json").body).contains("alerts"));
}
