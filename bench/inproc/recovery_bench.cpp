// Recovery benchmark, in process, on a whole node with live sessions:
//   pool_restart    kill a pool of a full node (10 pools x 1,500 sessions)
//                   -> every one of its sessions reopened and re-initialized by
//                   its (in-process) client, i.e. usable again
//   registry_restart kill the registry actor -> the restarted one answers a lookup
//                   (core_sup is one_for_all: health_monitor and recovery_manager
//                   restart with it)
//   server_replace  kill one session's server -> its client has a new one, initialized
// p50/p99/max in microseconds over --kills samples each.
//
//   recovery_bench [--sessions 15000] [--kills 50] [--drivers 4]
#include <thread>

#include "bench_util.hpp"
#include "inproc_node.hpp"
#include "session_driver.hpp"

#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/registry/registry_atoms.hpp"

namespace app = cafmcp::app;
namespace reg = cafmcp::registry;
namespace sup = cafmcp::supervision;
using namespace bench;

namespace {

caf::actor child_named(caf::actor_system& sys, const caf::actor& parent, const std::string& id) {
  auto kids = sup::which_children(sys, parent);
  if (kids)
    for (auto& k : *kids)
      if (k.id == id && k.status == sup::child_status::running)
        return k.child;
  return caf::actor{};
}

// Asks every driver `msg` and sums the size_t answers (sequentially: a wait
// ends when the slowest driver is done).
template <class... Ts>
size_t ask_all(caf::scoped_actor& self, const std::vector<caf::actor>& drivers, Ts... xs) {
  size_t sum = 0;
  for (auto& d : drivers)
    self->request(d, std::chrono::seconds{60}, xs...)
        .receive([&](size_t n) { sum += n; },
                 [&](caf::error& e) {
                   std::fprintf(stderr, "driver: %s\n", to_string(e).c_str());
                   std::exit(1);
                 });
  return sum;
}

} // namespace

int main(int argc, char** argv) {
  auto f = parse_flags(argc, argv, {{"sessions", 15000}, {"kills", 50}, {"drivers", 4}});
  auto n = static_cast<size_t>(f["sessions"]);
  auto kills = static_cast<int>(f["kills"]);

  // The default node shape, full: 10 pools of 1,500 servers and 15,000
  // sessions. A killed pool's clients find every other pool full, so they
  // retry until it is back and refill it: each kill hits 1,500 live sessions.
  auto cfg_node = inproc_config(n);
  cfg_node.supervision.servers_per_pool = static_cast<std::uint32_t>(
      (n + cfg_node.supervision.num_pools - 1) / cfg_node.supervision.num_pools);
  cfg_node.limits.max_sessions = 10'000'000;
  // 50 kills in a row must not exhaust any restart budget, nor make the
  // recovery manager give up on a pool: this measures restarts, not escalation.
  cfg_node.supervision.connection_pool.intensity = 1000000;
  cfg_node.supervision.core.intensity = 1000000;
  cfg_node.supervision.root.intensity = 1000000;
  cfg_node.failure.pool_max_consecutive_crashes = 1000000;
  cfg_node.failure.registry_recovery_attempts = 1000000;

  actor_system_setup cfg;
  caf::actor_system sys{cfg};
  app::node node{sys, cfg_node};
  if (auto err = node.start()) {
    std::fprintf(stderr, "node: %s\n", sys.render(err).c_str());
    return 1;
  }
  auto routes = node.state().routes;
  std::vector<caf::actor> drivers;
  for (size_t i = 0; i < static_cast<size_t>(f["drivers"]); ++i)
    drivers.push_back(spawn_session_driver(sys, {[&node] { return node.broker(); }, routes}));
  caf::scoped_actor self{sys};
  ask_all(self, drivers, bn_open_atom::value, n / drivers.size());

  // Pool restarts.
  auto pools_sup = child_named(sys, node.root(), "connection_pool_sup");
  std::vector<double> pool_us, pool_sizes;
  for (int k = 0; k < kills; ++k) {
    size_t best = 0, best_count = 0;
    caf::actor pool;
    for (size_t i = 0; i < node.config().supervision.num_pools; ++i) {
      auto p = child_named(sys, pools_sup, "pool_" + std::to_string(i));
      auto c = routes->count_in_pool(i);
      if (p && c > best_count) {
        best = i;
        best_count = c;
        pool = p;
      }
    }
    if (!pool)
      break;
    auto expected = ask_all(self, drivers, bn_expect_atom::value, best);
    auto t0 = clock_type::now();
    caf::anon_send_exit(pool, caf::exit_reason::kill);
    ask_all(self, drivers, bn_wait_atom::value);
    pool_us.push_back(us_since(t0));
    pool_sizes.push_back(static_cast<double>(expected));
  }
  emit("recovery", "pool_restart", percentile(pool_us, 0.5), "us",
       distribution(pool_us) +
           ",\"sessions_in_pool_p50\":" + std::to_string(percentile(pool_sizes, 0.5)) +
           ",\"sessions_total\":" + std::to_string(routes->size()));

  // Registry restarts: kill, then poll until a new registry answers.
  auto some_id = routes->snapshot().front().first;
  std::vector<double> reg_us;
  for (int k = 0; k < kills; ++k) {
    auto old = node.state().registry->get();
    auto t0 = clock_type::now();
    caf::anon_send_exit(old, caf::exit_reason::kill);
    for (;;) {
      auto now = node.state().registry->get();
      bool answered = false;
      if (now && now != old)
        self->request(now, std::chrono::milliseconds{100}, reg::reg_find_atom::value, some_id)
            .receive([&](caf::actor&) { answered = true; }, [&](caf::error&) {});
      if (answered)
        break;
      std::this_thread::sleep_for(std::chrono::microseconds{50});
    }
    reg_us.push_back(us_since(t0));
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  emit("recovery", "registry_restart", percentile(reg_us, 0.5), "us", distribution(reg_us));

  // Single server replacement.
  std::vector<double> server_us;
  for (int k = 0; k < kills; ++k) {
    caf::actor server;
    self->request(drivers[0], std::chrono::seconds{5}, bn_expect1_atom::value)
        .receive([&](caf::actor& s) { server = s; }, [&](caf::error&) {});
    if (!server)
      break;
    auto t0 = clock_type::now();
    caf::anon_send_exit(server, caf::exit_reason::kill);
    self->request(drivers[0], std::chrono::seconds{60}, bn_wait_atom::value)
        .receive([](size_t) {}, [](caf::error&) {});
    server_us.push_back(us_since(t0));
  }
  emit("recovery", "server_replace", percentile(server_us, 0.5), "us", distribution(server_us));

  for (auto& d : drivers)
    caf::anon_send_exit(d, caf::exit_reason::user_shutdown);
  node.stop();
  return 0;
}
