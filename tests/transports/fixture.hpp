#pragma once
// An actor system, an io_runner and the echo broker, plus helpers to start
// transports on 127.0.0.1 with port 0. Shutdown follows the order app/ must
// use: stop the io threads, end the actors (servers, broker), wait for them,
// then destroy the io_runner (and the connections it still holds), then the
// actor system.

#include <memory>
#include <string>

#include <caf/all.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cafmcp/transports/io_runner.hpp"
#include "cafmcp/transports/transport.hpp"
#include "echo_peer.hpp"
#include "test_client.hpp"

namespace cafmcp::test {

namespace tr = cafmcp::transports;
using json = nlohmann::json;
using namespace std::chrono_literals;

inline caf::actor_system_config& test_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  return cfg;
}

struct started_transport {
  std::shared_ptr<tr::transport> t;
  caf::actor listener;
  std::uint16_t port = 0;
};

class transport_fixture {
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<tr::io_runner> io_;

public:
  transport_fixture()
      : sys_(std::make_unique<caf::actor_system>(test_config(cfg_))),
        io_(std::make_unique<tr::io_runner>(1)) {
    io_->start();
    broker = spawn_echo_broker(*sys_, world);
  }

  ~transport_fixture() {
    io_->stop();
    // The broker first, and gone, so that no server appears after the list
    // of servers below was taken.
    {
      caf::scoped_actor self{*sys_};
      self->send_exit(broker, caf::exit_reason::kill);
      self->wait_for(broker);
    }
    broker = nullptr;
    for (auto& s : world->servers())
      caf::anon_send_exit(s, caf::exit_reason::kill);
    sys_->await_all_actors_done();
    io_.reset();
    sys_.reset();
  }

  caf::actor_system& sys() { return *sys_; }
  tr::io_runner& io() { return *io_; }

  tr::broker_ref broker_ref() {
    auto b = broker;
    return [b] { return b; };
  }

  static tr::listener_config tcp_config() {
    tr::listener_config cfg;
    cfg.name = "tcp";
    cfg.kind = tr::listener_kind::tcp;
    cfg.port = 0;
    return cfg;
  }

  static tr::listener_config http_config() {
    tr::listener_config cfg;
    cfg.name = "http";
    cfg.kind = tr::listener_kind::http;
    cfg.port = 0;
    cfg.routes.streamable = true;
    cfg.routes.legacy_sse = true;
    cfg.routes.websocket = true;
    return cfg;
  }

  started_transport start(tr::listener_config cfg) {
    started_transport out;
    auto t = tr::transport::make(*sys_, *io_, broker_ref(), std::move(cfg));
    REQUIRE(t);
    out.t = *t;
    auto l = out.t->spawn_listener();
    REQUIRE(l);
    out.listener = *l;
    out.port = out.t->bound_port();
    REQUIRE(out.port != 0);
    return out;
  }

  caf::actor broker;
  std::shared_ptr<echo_world> world = std::make_shared<echo_world>();
};

// The listener actor's two questions, asked from a test thread.
inline std::pair<std::string, std::uint16_t> ask_endpoint(caf::actor_system& sys,
                                                          const caf::actor& listener) {
  caf::scoped_actor self{sys};
  std::pair<std::string, std::uint16_t> out;
  self->request(listener, 10s, tr::listener_endpoint_atom::value)
      .receive(
          [&](std::string& host, std::uint16_t port) {
            out = {host, port};
          },
          [&](caf::error&) {});
  return out;
}

inline std::uint32_t ask_connections(caf::actor_system& sys, const caf::actor& listener) {
  caf::scoped_actor self{sys};
  std::uint32_t out = 999999;
  self->request(listener, 10s, tr::listener_connections_atom::value)
      .receive([&](std::uint32_t n) { out = n; }, [&](caf::error&) {});
  return out;
}

inline std::string request(int id, const std::string& method, json params = json::object()) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}
      .dump();
}

inline std::string initialize(int id = 1) {
  return request(id, "initialize",
                 {{"protocolVersion", "2025-11-25"},
                  {"capabilities", json::object()},
                  {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
}

inline json parse(const std::string& text) {
  return json::parse(text, nullptr, false);
}

} // namespace cafmcp::test
