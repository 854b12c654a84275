#include "echo_peer.hpp"

#include <algorithm>
#include <atomic>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/session_protocol.hpp"

namespace cafmcp::test {

using json = nlohmann::json;
namespace mcp = cafmcp::mcp;

using reply_atom = caf::atom_constant<caf::atom("trt_reply")>;

void echo_world::record(std::string event) {
  std::lock_guard<std::mutex> guard{mtx_};
  events_.push_back(std::move(event));
  cv_.notify_all();
}

std::vector<std::string> echo_world::events() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return events_;
}

std::size_t echo_world::count(const std::string& event) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return static_cast<std::size_t>(std::count(events_.begin(), events_.end(), event));
}

bool echo_world::wait_for(const std::function<bool()>& pred,
                          std::chrono::milliseconds limit) const {
  auto until = std::chrono::steady_clock::now() + limit;
  // pred may read other state than ours (counters of the transport): poll,
  // but wake at once on our own events.
  std::unique_lock<std::mutex> guard{mtx_};
  while (true) {
    guard.unlock();
    if (pred())
      return true;
    guard.lock();
    if (std::chrono::steady_clock::now() >= until)
      return false;
    cv_.wait_for(guard, std::chrono::milliseconds{5});
  }
}

bool echo_world::wait_count(const std::string& event, std::size_t n,
                            std::chrono::milliseconds limit) const {
  return wait_for([&] { return count(event) >= n; }, limit);
}

void echo_world::add_server(const std::string& session, caf::actor server) {
  std::lock_guard<std::mutex> guard{mtx_};
  servers_[session] = std::move(server);
  last_ = session;
  cv_.notify_all();
}

caf::actor echo_world::server(const std::string& session) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = servers_.find(session);
  return i == servers_.end() ? caf::actor{} : i->second;
}

std::vector<caf::actor> echo_world::servers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<caf::actor> out;
  for (const auto& kv : servers_)
    out.push_back(kv.second);
  return out;
}

std::string echo_world::last_session() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return last_;
}

void echo_world::set_capacity(std::size_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  capacity_ = n;
}

std::size_t echo_world::capacity() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return capacity_;
}

namespace {

struct server_state {
  static inline const char* name = "echo_server";
  caf::actor sink;
  std::string session;
  std::shared_ptr<echo_world> world;
  int next_ask = 1;
  std::map<std::string, std::string> asks; // server request id -> client request id text
};

using server_actor = caf::stateful_actor<server_state>;

void out(server_actor* self, const json& msg, const std::string& related) {
  self->send(self->state.sink, mcp::session_out_atom::value, msg.dump(), related);
}

json result_of(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

caf::behavior echo_server(server_actor* self, caf::actor sink, std::string session,
                          std::shared_ptr<echo_world> world) {
  self->state.sink = std::move(sink);
  self->state.session = std::move(session);
  self->state.world = std::move(world);
  // Like the real server (server_dispatch.cpp): a session whose transport
  // side is gone ends, even when it went before the open reply arrived.
  if (self->state.sink) {
    self->monitor(self->state.sink);
    self->set_down_handler([self](caf::down_msg& dm) {
      if (dm.source == self->state.sink.address())
        self->quit();
    });
  }
  return {
      [self](mcp::session_in_atom, std::string& text) {
        auto& st = self->state;
        json msg = json::parse(text, nullptr, false);
        if (msg.is_discarded() || !msg.is_object()) {
          out(self,
              json{{"jsonrpc", "2.0"},
                   {"id", nullptr},
                   {"error", {{"code", -32700}, {"message", "Parse error"}}}},
              "");
          return;
        }
        if (!msg.contains("method")) {
          // A response to one of our requests.
          auto id = msg.value("id", json{}).dump();
          auto i = st.asks.find(id);
          if (i != st.asks.end()) {
            json orig = json::parse(i->second);
            out(self, result_of(orig, json{{"answer", msg.value("result", json{})}}), i->second);
            st.asks.erase(i);
          }
          st.world->record("response:" + id);
          return;
        }
        std::string method = msg["method"];
        if (!msg.contains("id")) {
          st.world->record("notification:" + method);
          return;
        }
        st.world->record("in:" + method);
        json id = msg["id"];
        std::string rel = id.dump();
        json params = msg.value("params", json::object());
        if (method == "initialize") {
          out(self,
              result_of(id, {{"protocolVersion", params.value("protocolVersion", "2025-11-25")},
                             {"capabilities", json::object()},
                             {"serverInfo", {{"name", "echo"}, {"version", "1"}}}}),
              rel);
        } else if (method == "progress") {
          out(self,
              json{{"jsonrpc", "2.0"},
                   {"method", "notifications/progress"},
                   {"params", {{"progressToken", rel}, {"progress", 1}}}},
              rel);
          out(self, result_of(id, params), rel);
        } else if (method == "slow") {
          if (params.value("progress", false))
            out(self,
                json{{"jsonrpc", "2.0"},
                     {"method", "notifications/progress"},
                     {"params", {{"progressToken", rel}, {"progress", 1}}}},
                rel);
          auto ms = params.value("ms", 100);
          self->delayed_send(self, std::chrono::milliseconds{ms}, reply_atom::value,
                             result_of(id, params).dump(), rel);
        } else if (method == "ask") {
          auto sid = "srv-" + std::to_string(st.next_ask++);
          st.asks[json(sid).dump()] = rel;
          out(self, json{{"jsonrpc", "2.0"}, {"id", sid}, {"method", "roots/list"}}, rel);
        } else if (method == "flood") {
          auto n = params.value("n", 10);
          auto size = params.value("size", 100);
          std::string blob(static_cast<std::size_t>(size), 'x');
          for (int i = 0; i < n; ++i)
            out(self,
                json{{"jsonrpc", "2.0"},
                     {"method", "notifications/message"},
                     {"params", {{"level", "info"}, {"data", blob}}}},
                rel);
          out(self, result_of(id, json{{"sent", n}}), rel);
        } else if (method == "notify") {
          out(self, json{{"jsonrpc", "2.0"}, {"method", "notifications/tools/list_changed"}}, "");
          out(self, result_of(id, json::object()), rel);
        } else if (method == "crash") {
          self->quit(caf::sec::runtime_error);
        } else if (method == "bye") {
          self->send(st.sink, mcp::session_closed_atom::value, caf::error{});
          self->quit();
        } else {
          out(self, result_of(id, params), rel);
        }
      },
      [self](reply_atom, std::string& text, std::string& rel) {
        self->send(self->state.sink, mcp::session_out_atom::value, std::move(text), std::move(rel));
      },
      [self](mcp::session_close_atom) {
        self->state.world->record("close:" + self->state.session);
        self->quit();
      },
  };
}

struct broker_state {
  static inline const char* name = "echo_broker";
  std::shared_ptr<echo_world> world;
  std::map<std::string, caf::actor> sessions;
  int next = 1;
};

caf::behavior echo_broker(caf::stateful_actor<broker_state>* self,
                          std::shared_ptr<echo_world> world) {
  self->state.world = std::move(world);
  return {
      [self](mcp::session_open_atom, mcp::transport_kind kind,
             caf::actor sink) -> caf::result<caf::actor, std::string> {
        auto& st = self->state;
        st.world->record("open:" + std::to_string(static_cast<int>(kind)));
        if (st.sessions.size() >= st.world->capacity())
          return caf::make_error(caf::sec::runtime_error, "at capacity");
        auto id = "s" + std::to_string(st.next++) + "-" +
                  std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
        auto server = self->spawn(echo_server, std::move(sink), id, st.world);
        st.sessions[id] = server;
        st.world->add_server(id, server);
        return {server, id};
      },
      [self](mcp::session_find_atom, const std::string& id) -> caf::result<caf::actor> {
        auto& st = self->state;
        auto i = st.sessions.find(id);
        if (i == st.sessions.end())
          return caf::make_error(caf::sec::runtime_error, "no such session");
        return i->second;
      },
  };
}

} // namespace

caf::actor spawn_echo_broker(caf::actor_system& sys, std::shared_ptr<echo_world> world) {
  return sys.spawn(echo_broker, std::move(world));
}

} // namespace cafmcp::test
