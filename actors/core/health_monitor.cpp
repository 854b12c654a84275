#include "cafmcp/actors/core/health_monitor.hpp"

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/supervisor_messages.hpp"

namespace cafmcp::core {

namespace sup = cafmcp::supervision;

std::string to_string(health_status x) {
  switch (x) {
  case health_status::unknown:
    return "unknown";
  case health_status::up:
    return "up";
  case health_status::degraded:
    return "degraded";
  case health_status::down:
    return "down";
  }
  return "?";
}

namespace {

using hm_tick_atom = caf::atom_constant<caf::atom("hm_tick")>;
using clock_type = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch())
      .count();
}

health_status worst(health_status a, health_status b) {
  return static_cast<uint8_t>(a) > static_cast<uint8_t>(b) ? a : b;
}

// One round of checks. Every probe is a request with the configured timeout,
// so a round ends within about two timeouts (domains, then pools) at worst.
struct check_round {
  health_snapshot snapshot;
  size_t pending = 0;
  std::function<void(health_snapshot)> done;

  void finish_one() {
    if (--pending > 0)
      return;
    auto overall = health_status::up;
    for (auto& d : snapshot.domains) {
      for (auto& p : d.parts)
        if (p.status != health_status::up)
          d.status = worst(d.status, health_status::degraded);
      overall = worst(overall, d.status);
    }
    snapshot.overall = snapshot.domains.empty() ? health_status::down : overall;
    snapshot.checked_ns = now_ns();
    done(std::move(snapshot));
  }
};

// Asks a supervisor to count its children; fills `slot` (an index into
// round->snapshot.domains or into a domain's parts) when it answers or times out.
void probe(caf::event_based_actor* self, const caf::actor& target,
           std::chrono::milliseconds timeout, std::shared_ptr<check_round> round,
           std::function<domain_health&()> slot) {
  auto t0 = clock_type::now();
  ++round->pending;
  self->request(target, timeout, sup::count_children_atom::value)
      .then(
          [=](sup::child_counts& c) {
            auto& d = slot();
            d.active = c.active;
            d.specs = c.specs;
            d.latency_us =
                std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - t0)
                    .count();
            d.status =
                worst(d.status, c.active == c.specs ? health_status::up : health_status::degraded);
            round->finish_one();
          },
          [=](caf::error&) {
            slot().status = health_status::down;
            round->finish_one();
          });
}

caf::behavior health_monitor(caf::event_based_actor* self, std::shared_ptr<health_store> store,
                             health_settings cfg) {
  auto running = std::make_shared<bool>(false);
  auto checks = std::make_shared<uint64_t>(store->get().checks);
  auto start_round = [=] {
    if (*running)
      return; // the previous round is still waiting on a timeout
    auto root = self->system().registry().get(cfg.root_name);
    if (!root) {
      health_snapshot s;
      s.overall = health_status::unknown;
      s.checked_ns = now_ns();
      s.checks = ++*checks;
      store->set(std::move(s));
      return;
    }
    *running = true;
    auto round = std::make_shared<check_round>();
    round->done = [=](health_snapshot s) {
      s.checks = ++*checks;
      store->set(std::move(s));
      *running = false;
    };
    round->pending = 1; // held until the domains are known
    auto root_actor = caf::actor_cast<caf::actor>(root);
    self->request(root_actor, cfg.timeout, sup::which_children_atom::value)
        .then(
            [=](std::vector<sup::child_info>& kids) {
              auto& domains = round->snapshot.domains;
              domains.reserve(kids.size());
              for (auto& k : kids) {
                domain_health d;
                d.name = k.id;
                d.status = k.status == sup::child_status::running ? health_status::unknown
                                                                  : health_status::down;
                domains.push_back(std::move(d));
              }
              for (size_t i = 0; i < kids.size(); ++i) {
                auto& k = kids[i];
                if (k.status != sup::child_status::running || !k.child)
                  continue;
                if (k.type != sup::child_type::supervisor) {
                  domains[i].status = health_status::up;
                  continue;
                }
                probe(self, k.child, cfg.timeout, round,
                      [round, i]() -> domain_health& { return round->snapshot.domains[i]; });
                if (k.id != cfg.pools_parent)
                  continue;
                ++round->pending;
                auto pools_sup = k.child;
                self->request(pools_sup, cfg.timeout, sup::which_children_atom::value)
                    .then(
                        [=](std::vector<sup::child_info>& pools) {
                          auto& parts = round->snapshot.domains[i].parts;
                          for (auto& p : pools) {
                            if (p.type != sup::child_type::supervisor)
                              continue; // the pools' front door, not a pool
                            domain_health part;
                            part.name = p.id;
                            part.status = p.status == sup::child_status::running
                                              ? health_status::unknown
                                              : health_status::down;
                            parts.push_back(std::move(part));
                            if (p.status == sup::child_status::running && p.child) {
                              auto j = parts.size() - 1;
                              probe(self, p.child, cfg.timeout, round,
                                    [round, i, j]() -> domain_health& {
                                      return round->snapshot.domains[i].parts[j];
                                    });
                            }
                          }
                          round->finish_one();
                        },
                        [=](caf::error&) {
                          round->snapshot.domains[i].status = health_status::down;
                          round->finish_one();
                        });
              }
              round->finish_one();
            },
            [=](caf::error&) {
              health_snapshot s;
              s.overall = health_status::down;
              s.checked_ns = now_ns();
              round->done(std::move(s));
            });
  };
  self->send(self, hm_tick_atom::value);
  return {
      [=](hm_tick_atom) {
        start_round();
        self->delayed_send(self, cfg.interval, hm_tick_atom::value);
      },
      [=](hm_get_atom) { return store->get(); },
  };
}

} // namespace

sup::child_spec health_monitor_spec(std::shared_ptr<health_store> store, health_settings settings) {
  sup::child_spec spec;
  spec.id = "health_monitor";
  spec.start = [store, settings](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(health_monitor, store, settings)};
  };
  return spec;
}

} // namespace cafmcp::core
