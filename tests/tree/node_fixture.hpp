#pragma once
// A whole node in-process, and MCP sessions on it driven as a transport would
// drive them (actors/mcp/session_protocol.hpp): open through the broker, then
// JSON-RPC text in, JSON-RPC text out.

#include <condition_variable>
#include <deque>
#include <mutex>

#include <nlohmann/json.hpp>

#include "../supervision/support.hpp"
#include "cafmcp/actors/mcp/session_protocol.hpp"
#include "cafmcp/actors/mcp/tool.hpp"
#include "cafmcp/actors/pool/pool_error.hpp"
#include "cafmcp/actors/services/metrics_snapshot.hpp"
#include "cafmcp/actors/services/session_messages.hpp"
#include "cafmcp/app/config/node_config.hpp"
#include "cafmcp/app/node/node.hpp"
#include "cafmcp/registry/pool_selector.hpp"

namespace tree_test {

using json = nlohmann::json;
namespace mcp = cafmcp::mcp;
namespace app = cafmcp::app;

// What a session's server sent, in order.
struct outbox {
  std::mutex mtx;
  std::condition_variable cv;
  std::deque<json> messages;
  bool closed = false;
};

inline caf::behavior sink_actor(caf::event_based_actor*, std::shared_ptr<outbox> box) {
  return {
      [box](mcp::session_out_atom, std::string& text, std::string&) {
        std::lock_guard<std::mutex> guard{box->mtx};
        box->messages.push_back(json::parse(text, nullptr, false));
        box->cv.notify_all();
      },
      [box](mcp::session_closed_atom, caf::error&) {
        std::lock_guard<std::mutex> guard{box->mtx};
        box->closed = true;
        box->cv.notify_all();
      },
  };
}

struct session {
  caf::actor sink;
  caf::actor server;
  std::string id;
  std::shared_ptr<outbox> box = std::make_shared<outbox>();
  int64_t next_id = 1;
};

struct node_fixture : test::fixture {
  app::node_config node_cfg;
  std::unique_ptr<app::node> node;

  explicit node_fixture(size_t num_pools = 10, size_t per_pool = 200) {
    node_cfg.supervision.num_pools = static_cast<uint32_t>(num_pools);
    node_cfg.supervision.servers_per_pool = static_cast<uint32_t>(per_pool);
    node_cfg.supervision.connection_pool.intensity = 100;
    node_cfg.supervision.config.intensity = 100;
    node_cfg.supervision.monitoring.intensity = 100;
    node_cfg.supervision.core.intensity = 100;
    // Port 0: tests run in parallel, and the default port may be taken.
    node_cfg.transports.http.port = 0;
    node_cfg.health.check_interval = std::chrono::milliseconds{50};
    node_cfg.health.check_timeout = std::chrono::milliseconds{1000};
    auto server = std::make_shared<mcp::server_config>();
    mcp::tool_definition echo;
    echo.name = "echo";
    echo.description = "Returns its text argument";
    echo.input_schema = {{"type", "object"},
                         {"properties", {{"text", {{"type", "string"}}}}},
                         {"required", {"text"}}};
    echo.handler = [](const json& args, mcp::call_context&) {
      return json{{"content", {{{"type", "text"}, {"text", args.at("text")}}}}};
    };
    REQUIRE(server->features->add_tool(std::move(echo)));
    node = std::make_unique<app::node>(sys, node_cfg, server);
    auto err = node->start();
    REQUIRE_MESSAGE(!err, sys.render(err));
  }

  ~node_fixture() { node->stop(); }

  caf::actor domain(const std::string& name) { return child(node->root(), name); }

  caf::expected<session> open() {
    session s;
    s.sink = sys.spawn(sink_actor, s.box);
    owned.push_back(s.sink);
    caf::expected<session> out{caf::error{}};
    self->request(node->broker(), test::deadline, mcp::session_open_atom::value,
                  mcp::transport_kind::in_process, s.sink)
        .receive(
            [&](caf::actor& server, std::string& id) {
              s.server = server;
              s.id = id;
              out = s;
            },
            [&](caf::error& e) { out = e; });
    return out;
  }

  // Sends a request and waits for its response; nullopt when none comes in time.
  std::optional<json> call(session& s, const std::string& method, json params = json::object(),
                           std::chrono::milliseconds limit = test::deadline) {
    auto id = s.next_id++;
    json req{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    self->send(s.server, mcp::session_in_atom::value, req.dump());
    std::unique_lock<std::mutex> guard{s.box->mtx};
    std::optional<json> found;
    s.box->cv.wait_for(guard, limit, [&] {
      for (auto i = s.box->messages.begin(); i != s.box->messages.end(); ++i)
        if (i->is_object() && i->contains("id") && (*i)["id"] == id &&
            (i->contains("result") || i->contains("error"))) {
          found = *i;
          s.box->messages.erase(i);
          return true;
        }
      return false;
    });
    return found;
  }

  void notify(session& s, const std::string& method) {
    json n{{"jsonrpc", "2.0"}, {"method", method}};
    self->send(s.server, mcp::session_in_atom::value, n.dump());
  }

  // Opens a session and completes the MCP handshake.
  caf::expected<session> open_initialized() {
    auto s = open();
    if (!s)
      return s;
    auto r = call(*s, "initialize",
                  {{"protocolVersion", "2025-11-25"},
                   {"capabilities", json::object()},
                   {"clientInfo", {{"name", "tree-test"}, {"version", "1"}}}});
    if (!r || !r->contains("result"))
      return caf::make_error(caf::sec::runtime_error, "initialize failed");
    notify(*s, "notifications/initialized");
    return s;
  }

  // True when the session answers a tools/call correctly.
  bool serves(session& s, std::chrono::milliseconds limit = std::chrono::seconds{5}) {
    auto text = "hello " + s.id;
    auto r = call(s, "tools/call", {{"name", "echo"}, {"arguments", {{"text", text}}}}, limit);
    return r && r->contains("result") && (*r)["result"]["content"][0]["text"] == text;
  }

  size_t pool_of(const session& s) {
    auto r = node->state().routes->find(s.id);
    return r ? r->pool : SIZE_MAX;
  }
};

} // namespace tree_test
