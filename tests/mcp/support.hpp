#pragma once
// Test support for the MCP server suites: an actor system, a sink actor that
// records everything a session writes, and a small client that talks JSON-RPC
// to an mcp_server in-process. Everything waits on the event itself with a
// deadline; the only bounded waits are "nothing else arrives" checks.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/content.hpp"
#include "cafmcp/actors/mcp/direct_broker.hpp"
#include "cafmcp/actors/mcp/feature_registry.hpp"
#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/mcp/mcp_server.hpp"
#include "cafmcp/actors/mcp/server_config.hpp"
#include "cafmcp/actors/mcp/session_protocol.hpp"

namespace mcp = cafmcp::mcp;
using nlohmann::json;
using namespace std::chrono_literals;

namespace test {

// Generous: a loaded 2-core CI machine must never make a test flaky.
constexpr auto deadline = std::chrono::milliseconds{10000};
// How long "nothing more arrives" is watched for.
constexpr auto settle = std::chrono::milliseconds{200};

// One message the session wrote to its sink.
struct out_msg {
  json msg;
  std::string related;
};

// A thread-safe record of what a sink received, in order.
class sink_log {
public:
  void push(out_msg m) {
    std::lock_guard<std::mutex> g{mtx_};
    msgs_.push_back(std::move(m));
    cv_.notify_all();
  }

  void closed(caf::error e) {
    std::lock_guard<std::mutex> g{mtx_};
    closed_ = std::move(e);
    was_closed_ = true;
    cv_.notify_all();
  }

  // Waits for (session_closed_atom, reason); the reason, or nothing.
  std::optional<caf::error> wait_closed(std::chrono::milliseconds limit = deadline) {
    std::unique_lock<std::mutex> g{mtx_};
    if (!cv_.wait_for(g, limit, [&] { return was_closed_; }))
      return std::nullopt;
    return closed_;
  }

  std::vector<out_msg> snapshot() const {
    std::lock_guard<std::mutex> g{mtx_};
    return msgs_;
  }

  // The index of the first message at or after `from` satisfying `pred`.
  std::optional<size_t> wait_index(const std::function<bool(const out_msg&)>& pred, size_t from = 0,
                                   std::chrono::milliseconds limit = deadline) {
    std::unique_lock<std::mutex> g{mtx_};
    std::optional<size_t> found;
    cv_.wait_for(g, limit, [&] {
      for (size_t i = from; i < msgs_.size(); ++i)
        if (pred(msgs_[i])) {
          found = i;
          return true;
        }
      return false;
    });
    return found;
  }

  std::optional<out_msg> wait(const std::function<bool(const out_msg&)>& pred, size_t from = 0,
                              std::chrono::milliseconds limit = deadline) {
    auto i = wait_index(pred, from, limit);
    if (!i)
      return std::nullopt;
    std::lock_guard<std::mutex> g{mtx_};
    return msgs_[*i];
  }

  size_t size() const {
    std::lock_guard<std::mutex> g{mtx_};
    return msgs_.size();
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<out_msg> msgs_;
  caf::error closed_;
  bool was_closed_ = false;
};

inline caf::behavior sink_actor(caf::event_based_actor*, std::shared_ptr<sink_log> log) {
  return {
      [log](mcp::session_out_atom, const std::string& text, const std::string& related) {
        log->push(out_msg{json::parse(text), related});
      },
      [log](mcp::session_closed_atom, const caf::error& e) { log->closed(e); },
  };
}

// A thread-safe flag list handlers write to ("started", "saw-cancel").
class event_log {
public:
  void push(std::string e) {
    std::lock_guard<std::mutex> g{mtx_};
    events_.push_back(std::move(e));
    cv_.notify_all();
  }
  bool wait(const std::string& e, std::chrono::milliseconds limit = deadline) {
    std::unique_lock<std::mutex> g{mtx_};
    return cv_.wait_for(
        g, limit, [&] { return std::find(events_.begin(), events_.end(), e) != events_.end(); });
  }
  bool has(const std::string& e) const {
    std::lock_guard<std::mutex> g{mtx_};
    return std::find(events_.begin(), events_.end(), e) != events_.end();
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
};

// The mcp_errc name of an error of our category ("request_timeout").
inline std::string errc_name(const caf::error& e) {
  if (e.category() != caf::atom("mcp"))
    return caf::to_string(e);
  return mcp::to_string(static_cast<mcp::mcp_errc>(e.code()));
}

// Messages by shape.
inline bool is_response_to(const out_msg& m, const json& id) {
  return m.msg.contains("id") && m.msg["id"] == id && !m.msg.contains("method");
}
inline auto response_to(json id) {
  return [id](const out_msg& m) { return is_response_to(m, id); };
}
inline auto method_is(std::string method) {
  return
      [method](const out_msg& m) { return m.msg.contains("method") && m.msg["method"] == method; };
}

inline caf::actor_system_config& test_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  mcp::add_error_category(cfg);
  return cfg;
}

// One client session against one mcp_server.
class client {
public:
  client(caf::actor_system& sys, std::shared_ptr<const mcp::server_config> cfg,
         std::string session_id = "test-session")
      : log_(std::make_shared<sink_log>()) {
    sink_ = sys.spawn(sink_actor, log_);
    server_ =
        sys.spawn(mcp::mcp_server, mcp::server_args{std::move(cfg), sink_, std::move(session_id),
                                                    mcp::transport_kind::in_process});
  }

  // Attaches to a session a broker opened for `sink`.
  client(caf::actor server, caf::actor sink, std::shared_ptr<sink_log> log)
      : log_(std::move(log)), sink_(std::move(sink)), server_(std::move(server)) {}

  client(client&&) = default;

  ~client() {
    if (server_)
      caf::anon_send_exit(server_, caf::exit_reason::kill);
    if (sink_)
      caf::anon_send_exit(sink_, caf::exit_reason::kill);
  }

  const caf::actor& server() const { return server_; }
  const caf::actor& sink() const { return sink_; }
  sink_log& log() { return *log_; }

  void send_raw(std::string text) {
    caf::anon_send(server_, mcp::session_in_atom::value, std::move(text));
  }

  void send(const json& msg) { send_raw(msg.dump()); }

  // Sends a request and returns its id.
  json request(const std::string& method, json params = json::object()) {
    json id = next_id_++;
    json msg{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null())
      msg["params"] = std::move(params);
    send(msg);
    return id;
  }

  void notify(const std::string& method, json params = json::object()) {
    json msg{{"jsonrpc", "2.0"}, {"method", method}};
    if (!params.is_null())
      msg["params"] = std::move(params);
    send(msg);
  }

  // The whole response message to `id` (result or error).
  json await_response(const json& id, std::chrono::milliseconds limit = deadline) {
    auto m = log_->wait(response_to(id), 0, limit);
    REQUIRE_MESSAGE(m.has_value(), "no response to id " << id.dump());
    return m->msg;
  }

  // Request + response; the response's result (REQUIREs it is not an error).
  json call(const std::string& method, json params = json::object()) {
    auto r = await_response(request(method, std::move(params)));
    REQUIRE_MESSAGE(r.contains("result"), r.dump());
    return r["result"];
  }

  // Request + response; the error object (REQUIREs it is an error).
  json call_error(const std::string& method, json params = json::object()) {
    auto r = await_response(request(method, std::move(params)));
    REQUIRE_MESSAGE(r.contains("error"), r.dump());
    return r["error"];
  }

  // initialize + notifications/initialized; returns the initialize result.
  json initialize(const std::string& version = "2025-11-25", json capabilities = json::object()) {
    auto result = call("initialize", {{"protocolVersion", version},
                                      {"capabilities", std::move(capabilities)},
                                      {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
    notify("notifications/initialized");
    return result;
  }

  // A ping round trip: everything the session wrote for earlier inbound
  // messages it handled itself is in the log once this returns.
  void barrier() { call("ping"); }

  std::optional<out_msg> wait(const std::function<bool(const out_msg&)>& pred, size_t from = 0,
                              std::chrono::milliseconds limit = deadline) {
    return log_->wait(pred, from, limit);
  }

  // Answers a server->client request (from the client's side).
  void respond(const json& id, json result) {
    send(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  }

private:
  std::shared_ptr<sink_log> log_;
  caf::actor sink_;
  caf::actor server_;
  int next_id_ = 1;
};

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{test_config(cfg)};
  std::shared_ptr<mcp::server_config> config = std::make_shared<mcp::server_config>();

  mcp::feature_registry& features() { return *config->features; }

  client connect(std::string session_id = "test-session") {
    return client{sys, config, std::move(session_id)};
  }

  // A tool whose sync handler returns `text`.
  void add_text_tool(const std::string& name, const std::string& text) {
    mcp::tool_definition t;
    t.name = name;
    t.description = "returns " + text;
    t.handler = [text](const json&, mcp::call_context&) { return mcp::text_result(text); };
    REQUIRE(features().add_tool(std::move(t)));
  }
};

// Waits until `pred` holds for the session's stats.
inline bool wait_stats(caf::actor_system& sys, const caf::actor& server,
                       const std::function<bool(const mcp::session_stats&)>& pred) {
  caf::scoped_actor self{sys};
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    bool ok = false;
    self->request(server, deadline, caf::get_atom::value)
        .receive([&](mcp::session_stats& s) { ok = pred(s); }, [](caf::error&) {});
    if (ok)
      return true;
    std::this_thread::yield();
  }
  return false;
}

} // namespace test
