#include "session_driver.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cafmcp/actors/mcp/session_protocol.hpp"

namespace bench {

namespace mcp = cafmcp::mcp;

namespace {

constexpr char initialize_json[] =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"bench","version":"1"}}})";
constexpr char initialized_json[] = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
constexpr char ping_json[] = R"({"jsonrpc":"2.0","id":2,"method":"ping"})";

struct session {
  caf::actor server;
  std::string id;
  bool ready = false;
  std::size_t pool = 0;
  int failed_opens = 0; // since the last successful open
};

struct driver_state {
  driver_wiring wiring;
  std::vector<session> sessions;
  std::unordered_map<caf::actor_addr, std::size_t> by_server;
  std::size_t ready = 0;
  std::vector<caf::response_promise> on_all_ready;
  // routing
  bool running = false;
  std::uint64_t ops = 0;
  std::uint64_t lost = 0; // lookups that found no route
  std::uint64_t open_errors = 0;
  // Opens in flight (until initialized) are bounded, like a client pool that
  // connects with bounded concurrency; the rest wait in `to_open`.
  std::size_t opening = 0;
  std::vector<std::size_t> to_open;
  caf::response_promise on_run;
  // recovery
  std::unordered_set<std::size_t> expected;
  std::vector<caf::response_promise> on_replaced;
  static inline const char* name = "bench_session_driver";
};

using driver = caf::stateful_actor<driver_state>;

void check_promises(driver* self) {
  auto& st = self->state;
  if (st.ready == st.sessions.size()) {
    for (auto& rp : st.on_all_ready)
      rp.deliver(st.ready);
    st.on_all_ready.clear();
  }
  if (st.expected.empty()) {
    for (auto& rp : st.on_replaced)
      rp.deliver(st.ready);
    st.on_replaced.clear();
  }
}

constexpr std::size_t max_opening = 128;

void open_one(driver* self, std::size_t i);

// Starts queued opens while fewer than max_opening are in flight.
void pump_opens(driver* self) {
  auto& st = self->state;
  while (st.opening < max_opening && !st.to_open.empty()) {
    auto i = st.to_open.back();
    st.to_open.pop_back();
    ++st.opening;
    open_one(self, i);
  }
}

void queue_open(driver* self, std::size_t i) {
  self->state.to_open.push_back(i);
  pump_opens(self);
}

void open_one(driver* self, std::size_t i) {
  auto broker = self->state.wiring.broker();
  if (!broker) {
    self->delayed_send(self, std::chrono::milliseconds{2}, bn_reopen_atom::value, i);
    return;
  }
  self->request(broker, std::chrono::seconds{10}, mcp::session_open_atom::value,
                mcp::transport_kind::in_process, caf::actor_cast<caf::actor>(self))
      .then(
          [self, i](caf::actor& server, std::string& id) {
            auto& s = self->state.sessions[i];
            s.server = server;
            s.id = std::move(id);
            s.failed_opens = 0;
            self->state.by_server[server.address()] = i;
            self->monitor(server);
            self->send(server, mcp::session_in_atom::value, std::string{initialize_json});
          },
          [self, i](caf::error& err) {
            if (++self->state.open_errors <= 3)
              std::fprintf(stderr, "bench: session open failed (retrying): %s\n",
                           self->system().render(err).c_str());
            // The pool may be restarting, or the node full until it is back: try
            // again with exponential backoff (2 ms doubling to 32 ms), like a client.
            auto& tries = self->state.sessions[i].failed_opens;
            auto delay = std::chrono::milliseconds{2 << std::min(tries, 4)};
            ++tries;
            self->delayed_send(self, delay, bn_reopen_atom::value, i);
          });
}

void next_op(driver* self, std::size_t i) {
  auto& st = self->state;
  auto route = st.wiring.routes->find(st.sessions[i].id);
  if (!route || !route->server) {
    ++st.lost;
    return;
  }
  self->send(route->server, mcp::session_in_atom::value, std::string{ping_json});
}

void lost_server(driver* self, const caf::actor_addr& server) {
  auto& st = self->state;
  auto it = st.by_server.find(server);
  if (it == st.by_server.end())
    return;
  auto i = it->second;
  st.by_server.erase(it);
  auto& s = st.sessions[i];
  if (s.ready) {
    s.ready = false;
    --st.ready;
  } else {
    --st.opening; // it died before its initialize answer
  }
  s.server = caf::actor{};
  queue_open(self, i);
}

} // namespace

caf::actor spawn_session_driver(caf::actor_system& sys, driver_wiring wiring) {
  return sys.spawn([wiring](driver* self) -> caf::behavior {
    self->state.wiring = wiring;
    self->set_down_handler([self](caf::down_msg& dm) { lost_server(self, dm.source); });
    return {
        [self](bn_open_atom, std::size_t n) {
          auto& st = self->state;
          auto rp = self->make_response_promise<std::size_t>();
          st.on_all_ready.push_back(rp);
          auto first = st.sessions.size();
          st.sessions.resize(first + n);
          for (auto i = first; i < first + n; ++i)
            st.to_open.push_back(i);
          pump_opens(self);
          check_promises(self);
          return rp;
        },
        [self](bn_reopen_atom, std::size_t i) { open_one(self, i); },
        [self](mcp::session_out_atom, std::string& text, std::string&) {
          auto& st = self->state;
          auto it = st.by_server.find(self->current_sender()->address());
          if (it == st.by_server.end())
            return;
          auto i = it->second;
          auto& s = st.sessions[i];
          if (!s.ready) {
            if (text.find("\"result\"") == std::string::npos)
              return; // not the initialize answer (the session is replaced on its death)
            self->send(s.server, mcp::session_in_atom::value, std::string{initialized_json});
            s.ready = true;
            ++st.ready;
            --st.opening;
            pump_opens(self);
            if (auto r = st.wiring.routes->find(s.id))
              s.pool = r->pool;
            st.expected.erase(i);
            check_promises(self);
            return;
          }
          if (st.running) {
            ++st.ops;
            next_op(self, i);
          }
        },
        [self](mcp::session_closed_atom, caf::error&) {
          // The down message that follows replaces the session.
        },
        [self](bn_run_atom, caf::timespan d) {
          auto& st = self->state;
          st.running = true;
          st.ops = 0;
          st.on_run = self->make_response_promise();
          for (std::size_t i = 0; i < st.sessions.size(); ++i)
            if (st.sessions[i].ready)
              next_op(self, i);
          self->delayed_send(self, d, bn_stop_atom::value);
          return st.on_run;
        },
        [self](bn_stop_atom) {
          auto& st = self->state;
          st.running = false;
          st.on_run.deliver(st.ops, st.lost);
        },
        [self](bn_expect_atom, std::size_t pool) {
          auto& st = self->state;
          for (std::size_t i = 0; i < st.sessions.size(); ++i)
            if (st.sessions[i].ready && st.sessions[i].pool == pool)
              st.expected.insert(i);
          return st.expected.size();
        },
        [self](bn_expect1_atom) {
          auto& st = self->state;
          for (std::size_t i = 0; i < st.sessions.size(); ++i)
            if (st.sessions[i].ready) {
              st.expected.insert(i);
              return st.sessions[i].server;
            }
          return caf::actor{};
        },
        [self](bn_wait_atom) {
          auto rp = self->make_response_promise<std::size_t>();
          self->state.on_replaced.push_back(rp);
          check_promises(self);
          return rp;
        },
    };
  });
}

} // namespace bench
