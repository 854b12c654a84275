#include "cafmcp/actors/pool/session_broker.hpp"

#include <unordered_map>

#include <caf/all.hpp>

#include "cafmcp/actors/core/recovery_manager.hpp"
#include "cafmcp/actors/mcp/session_id.hpp"
#include "cafmcp/actors/pool/pool_error.hpp"
#include "cafmcp/actors/services/metrics.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/session_messages.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"
#include "cafmcp/registry/pool_selector.hpp"
#include "cafmcp/registry/registry_client.hpp"

namespace cafmcp::pool {

namespace sup = cafmcp::supervision;
namespace mcp = cafmcp::mcp;

namespace {

constexpr size_t max_waiting_opens = 4096;
constexpr auto start_timeout = std::chrono::seconds{5};
constexpr auto session_manager_timeout = std::chrono::seconds{1};
constexpr auto session_manager_backoff = std::chrono::milliseconds{50};
constexpr int max_session_manager_attempts = 40; // about 2 s: longer than its restart SLA

using retry_open_atom = caf::atom_constant<caf::atom("sb_retry")>;

struct broker_state {
  static inline const char* name = "session_broker";
  pool_settings settings;
  broker_wiring wiring;
  caf::actor parent;
  std::vector<caf::actor> pools;
  std::vector<size_t> active; // live (or starting) servers per pool
  std::unordered_map<caf::actor_addr, size_t> server_pool;
  std::unique_ptr<registry::pool_selector> selector;
  std::unique_ptr<registry::registry_client> routes;
  bool ready = false;
  std::vector<std::function<void()>> waiting;
  // Opens waiting to ask a restarting session manager again.
  std::unordered_map<uint64_t, std::function<void()>> retries;
  uint64_t next_retry = 0;
};

using broker_actor = caf::stateful_actor<broker_state>;

void start_session(broker_actor* self, mcp::transport_kind kind, caf::actor sink,
                   caf::response_promise rp, std::string id);

caf::actor metrics_of(broker_actor* self) {
  auto& ref = self->state.wiring.metrics;
  return ref ? ref->get() : caf::actor{};
}

void report_active(broker_actor* self, size_t pool) {
  services::gauge_set(metrics_of(self), "cafmcp_pool_active_sessions",
                      {{"pool", "pool_" + std::to_string(pool)}},
                      static_cast<double>(self->state.active[pool]));
}

// Step 1: a session id, from the session manager when the node runs one. While
// it restarts (under a second, DESIGN.md §4) new sessions wait and retry.
void open_session(broker_actor* self, mcp::transport_kind kind, caf::actor sink,
                  caf::response_promise rp, int attempt = 0) {
  auto& st = self->state;
  if (!st.wiring.sessions) {
    auto id = mcp::make_secure_id(24);
    if (!id) {
      rp.deliver(id.error());
      return;
    }
    return start_session(self, kind, sink, rp, *id);
  }
  auto retry = [=](caf::error err) mutable {
    if (attempt >= max_session_manager_attempts) {
      rp.deliver(std::move(err));
      return;
    }
    auto token = ++self->state.next_retry;
    self->state.retries.emplace(token, [=] { open_session(self, kind, sink, rp, attempt + 1); });
    self->delayed_send(self, session_manager_backoff, retry_open_atom::value, token);
  };
  auto manager = st.wiring.sessions->get();
  if (!manager)
    return retry(caf::make_error(pool_errc::not_ready, "session manager restarting"));
  self->request(manager, session_manager_timeout, services::sm_open_atom::value,
                mcp::to_string(kind), caf::actor{})
      .then(
          [=](services::session_record& rec) mutable {
            start_session(self, kind, sink, rp, rec.id);
          },
          [=](caf::error& err) mutable {
            if (err == services::svc_errc::at_capacity)
              rp.deliver(caf::make_error(pool_errc::at_capacity, "max_sessions reached"));
            else
              retry(std::move(err));
          });
}

// A session id the manager issued but that got no server: end its record, or
// it would count against max_sessions until its ttl (minutes) runs out.
void give_up(broker_actor* self, const std::string& id, std::string reason) {
  auto& sessions = self->state.wiring.sessions;
  if (auto manager = sessions ? sessions->get() : caf::actor{})
    caf::anon_send(manager, services::sm_term_atom::value, id, std::move(reason));
}

// Step 2: the pool, the server in it, the route, the binding.
void start_session(broker_actor* self, mcp::transport_kind kind, caf::actor sink,
                   caf::response_promise rp, std::string id) {
  auto& st = self->state;
  for (size_t i = 0; i < st.pools.size(); ++i) {
    bool usable = st.pools[i] && st.active[i] < st.settings.servers_per_pool &&
                  !(st.wiring.health && st.wiring.health->is_unhealthy(i));
    if (usable)
      st.selector->mark_healthy(i);
    else
      st.selector->mark_unhealthy(i);
  }
  auto chosen = st.selector->select(id);
  if (!chosen) {
    give_up(self, id, "at_capacity");
    rp.deliver(caf::make_error(pool_errc::at_capacity));
    return;
  }
  auto idx = *chosen;
  ++st.active[idx]; // reserved now, so concurrent opens cannot overfill the pool
  auto pool = st.pools[idx];
  auto t0 = std::chrono::steady_clock::now();
  self->request(pool, start_timeout, sup::start_child_atom::value,
                caf::make_message(sink, id, kind))
      .then(
          [=](sup::start_child_result& r) mutable {
            auto& st = self->state;
            if (!r.child) {
              --st.active[idx];
              give_up(self, id, "the pool ignored the start");
              rp.deliver(caf::make_error(pool_errc::at_capacity, "the pool ignored the start"));
              return;
            }
            auto server = r.child;
            self->monitor(server);
            st.server_pool.emplace(server.address(), idx);
            st.routes->add(id, server, idx, [=](caf::error err) mutable {
              if (err) {
                // Without a route the session cannot be found again: give it up.
                self->send_exit(server, caf::exit_reason::user_shutdown);
                give_up(self, id, "no route");
                rp.deliver(std::move(err));
                return;
              }
              report_active(self, idx);
              services::observe(
                  metrics_of(self), "cafmcp_routing_latency_seconds", {{"step", "open_session"}},
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
              auto& sessions = self->state.wiring.sessions;
              if (auto manager = sessions ? sessions->get() : caf::actor{})
                caf::anon_send(manager, services::sm_bind_atom::value, id, server);
              rp.deliver(server, id);
            });
          },
          [=](caf::error& err) mutable {
            --self->state.active[idx];
            give_up(self, id, "the server did not start");
            rp.deliver(std::move(err));
          });
}

caf::behavior session_broker(broker_actor* self, caf::actor parent, pool_settings settings,
                             broker_wiring wiring) {
  auto& st = self->state;
  st.settings = settings;
  st.wiring = std::move(wiring);
  st.parent = parent;
  st.pools.resize(settings.num_pools);
  st.active.resize(settings.num_pools, 0);
  st.selector = std::make_unique<registry::pool_selector>(settings.num_pools);
  st.routes = std::make_unique<registry::registry_client>(self, st.wiring.registry);
  self->system().registry().put(caf::atom(broker_registry_name),
                                caf::actor_cast<caf::strong_actor_ptr>(self));
  self->join(sup::report_group(self->system()));
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (auto i = st.server_pool.find(dm.source); i != st.server_pool.end()) {
      auto pool = i->second;
      --st.active[pool];
      st.server_pool.erase(i);
      report_active(self, pool);
    }
  });
  // The parent answers once all its children run (its request queue follows
  // its start), so this also waits for the pools to exist.
  self->request(parent, caf::infinite, sup::which_children_atom::value)
      .then([self](std::vector<sup::child_info>& kids) {
        auto& st = self->state;
        for (auto& k : kids) {
          auto idx = core::pool_index(k.id);
          if (idx >= 0 && static_cast<size_t>(idx) < st.pools.size() &&
              k.status == sup::child_status::running)
            st.pools[static_cast<size_t>(idx)] = k.child;
        }
        st.ready = true;
        auto waiting = std::move(st.waiting);
        for (auto& f : waiting)
          f();
      });
  return {
      [self](mcp::session_open_atom, mcp::transport_kind kind, caf::actor& sink) {
        auto rp = self->make_response_promise();
        auto& st = self->state;
        if (st.ready) {
          open_session(self, kind, sink, rp);
        } else if (st.waiting.size() < max_waiting_opens) {
          st.waiting.emplace_back([self, kind, sink, rp] { open_session(self, kind, sink, rp); });
        } else {
          rp.deliver(caf::make_error(pool_errc::not_ready));
        }
        return rp;
      },
      [self](retry_open_atom, uint64_t token) {
        auto& retries = self->state.retries;
        if (auto i = retries.find(token); i != retries.end()) {
          auto f = std::move(i->second);
          retries.erase(i);
          f();
        }
      },
      [self](mcp::session_find_atom, const std::string& id) -> caf::result<caf::actor> {
        if (auto r = self->state.wiring.routes->find(id); r && r->server)
          return r->server;
        return caf::make_error(pool_errc::unknown_session);
      },
      // Pools come and go under the parent: follow its reports.
      [self](sup::supervisor_report& r) {
        auto& st = self->state;
        if (r.supervisor != st.settings.name)
          return;
        auto idx = core::pool_index(r.child_id);
        if (idx < 0 || static_cast<size_t>(idx) >= st.pools.size())
          return;
        if (r.kind == sup::report_kind::child_started)
          st.pools[static_cast<size_t>(idx)] = caf::actor_cast<caf::actor>(r.child);
        else if (r.kind == sup::report_kind::child_terminated)
          st.pools[static_cast<size_t>(idx)] = caf::actor{};
      },
  };
}

} // namespace

sup::child_spec session_broker_spec(pool_settings settings, broker_wiring wiring) {
  sup::child_spec spec;
  spec.id = "session_broker";
  spec.start = [settings, wiring](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    auto parent = caf::actor_cast<caf::actor>(ctx.self);
    return sup::start_result{ctx.self->spawn(session_broker, parent, settings, wiring)};
  };
  return spec;
}

} // namespace cafmcp::pool
