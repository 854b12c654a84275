#pragma once
// Test support for the client suites: an in-process node serving every
// transport on port 0 with the conformance fixtures (plus a sleeping tool),
// a shared io_runner for the clients, and a thread-safe record of the
// notifications clients receive. Waits have deadlines; nothing sleeps.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/conformance_fixtures.hpp"
#include "cafmcp/actors/mcp/tool.hpp"
#include "cafmcp/app/node/node.hpp"
#include "cafmcp/client/client.hpp"
#include "cafmcp/transports/io_runner.hpp"

namespace client_test {

using json = nlohmann::json;
using namespace std::chrono_literals;
namespace cl = cafmcp::client;
namespace app = cafmcp::app;
namespace mcp = cafmcp::mcp;

constexpr auto deadline = std::chrono::milliseconds{15000};

// What the server sent on its own, in arrival order.
class notification_log {
public:
  void push(const std::string& method, const json& params) {
    std::lock_guard<std::mutex> guard{mtx_};
    entries_.emplace_back(method, params);
    cv_.notify_all();
  }
  std::vector<std::pair<std::string, json>> of(const std::string& method) const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::pair<std::string, json>> out;
    for (auto& e : entries_)
      if (e.first == method)
        out.push_back(e);
    return out;
  }
  bool wait_count(const std::string& method, size_t n, std::chrono::milliseconds limit = deadline) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, limit, [&] {
      size_t k = 0;
      for (auto& e : entries_)
        k += e.first == method ? 1 : 0;
      return k >= n;
    });
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, json>> entries_;
};

inline caf::actor_system_config& client_test_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  app::add_error_categories(cfg);
  cl::add_client_error_category(cfg);
  return cfg;
}

struct node_fixture {
  // Declared first: it outlives the actor system, hence every client actor.
  cafmcp::transports::io_runner io{1};
  caf::actor_system_config cfg;
  caf::actor_system sys{client_test_config(cfg)};
  caf::scoped_actor self{sys};
  app::node_config node_cfg;
  std::unique_ptr<app::node> node;
  std::shared_ptr<mcp::server_config> server = std::make_shared<mcp::server_config>();
  std::map<std::string, uint16_t> ports; // "http", "sse", "ws", "tcp"
  // The sleeping tool records "sleep-started" here when it begins.
  std::shared_ptr<notification_log> tool_events = std::make_shared<notification_log>();

  explicit node_fixture(uint32_t num_pools = 2, uint32_t servers_per_pool = 200) {
    io.start();
    node_cfg.supervision.num_pools = num_pools;
    node_cfg.supervision.servers_per_pool = servers_per_pool;
    node_cfg.admin.enabled = false;
    node_cfg.transports.http.port = 0;
    node_cfg.transports.sse.enabled = true;
    node_cfg.transports.sse.port = 0;
    node_cfg.transports.ws.enabled = true;
    node_cfg.transports.ws.port = 0;
    node_cfg.transports.tcp.enabled = true;
    node_cfg.transports.tcp.port = 0;
    REQUIRE(mcp::conformance::register_fixtures(*server->features));
    mcp::tool_definition sleeper;
    sleeper.name = "client_test_sleep";
    sleeper.description = "Sleeps for `ms` milliseconds, then answers";
    sleeper.input_schema = {
        {"type", "object"}, {"properties", {{"ms", {{"type", "integer"}}}}}, {"required", {"ms"}}};
    sleeper.handler = [events = tool_events](const json& args, mcp::call_context&) {
      events->push("sleep-started", args);
      std::this_thread::sleep_for(std::chrono::milliseconds{args.at("ms").get<int>()});
      return json{{"content", {{{"type", "text"}, {"text", "slept"}}}}};
    };
    REQUIRE(server->features->add_tool(std::move(sleeper)));
    mcp::tool_definition roots;
    roots.name = "client_test_roots";
    roots.description = "Asks the client for its roots and returns them as JSON text";
    roots.input_schema = {{"type", "object"}};
    roots.handler = [](const json&, mcp::call_context& ctx) {
      auto r = ctx.list_roots();
      auto text = r ? r->dump() : std::string{"roots failed"};
      return json{{"content", {{{"type", "text"}, {"text", text}}}}};
    };
    REQUIRE(server->features->add_tool(std::move(roots)));
    node = std::make_unique<app::node>(sys, node_cfg, server);
    auto err = node->start();
    REQUIRE_MESSAGE(!err, sys.render(err));
    for (auto& line : node->listening()) {
      // "http 127.0.0.1:PORT/mcp"
      auto name = line.substr(0, line.find(' '));
      auto colon = line.rfind(':');
      auto slash = line.find('/', colon);
      ports[name] = static_cast<uint16_t>(std::stoi(
          line.substr(colon + 1, slash == std::string::npos ? slash : slash - colon - 1)));
    }
  }

  ~node_fixture() {
    node->stop();
    node.reset();
  }

  cl::client_config config_for(cl::client_transport kind) {
    cl::client_config c;
    c.transport = kind;
    c.host = "127.0.0.1";
    switch (kind) {
    case cl::client_transport::http:
      c.port = ports.at("http");
      break;
    case cl::client_transport::sse:
      c.port = ports.at("sse");
      break;
    case cl::client_transport::websocket:
      c.port = ports.at("ws");
      break;
    case cl::client_transport::tcp:
      c.port = ports.at("tcp");
      break;
    case cl::client_transport::stdio:
      break;
    }
    c.request_timeout = deadline;
    c.connect_timeout = deadline;
    return c;
  }

  // Kills the MCP server actor of every open session (there is one in these tests).
  size_t kill_sessions() {
    size_t n = 0;
    for (auto& kv : node->state().routes->snapshot()) {
      self->send_exit(kv.second.server, caf::exit_reason::kill);
      ++n;
    }
    return n;
  }
};

// A port on which nothing listens (bound, then released).
uint16_t unused_port();

} // namespace client_test
