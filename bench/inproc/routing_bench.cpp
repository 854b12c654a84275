// In-process routing benchmark (no sockets): what one node does per core.
//   inproc_sessions  RSS per initialized session (the actor side of a session:
//                    server actor, registry route, session record), and how
//                    fast they open
//   table_find       registry_table::find from every core at once (the lookup
//                    transports do without an actor hop), over all shards
//   registry_find    a request/response to the registry actor (reg_find)
//   route_ping       table lookup of a session id + ping to the server found +
//                    the answer back to the client actor: the routing path of
//                    every MCP request, ops/s over all sessions, and per core
//
//   routing_bench [--sessions 100000] [--drivers 4] [--duration 5]
#include <atomic>
#include <random>
#include <thread>

#include "bench_util.hpp"
#include "inproc_node.hpp"
#include "session_driver.hpp"

#include "cafmcp/registry/registry_atoms.hpp"

namespace app = cafmcp::app;
namespace reg = cafmcp::registry;
using namespace bench;

namespace {

// Runs `body(thread_index)` on `n` threads for `seconds`; returns the total
// count the bodies returned.
template <class F>
double on_threads(int n, F body) {
  std::vector<std::thread> threads;
  std::atomic<std::uint64_t> total{0};
  for (int t = 0; t < n; ++t)
    threads.emplace_back([&, t] { total += body(t); });
  for (auto& t : threads)
    t.join();
  return static_cast<double>(total.load());
}

} // namespace

int main(int argc, char** argv) {
  auto f = parse_flags(argc, argv, {{"sessions", 100000}, {"drivers", 4}, {"duration", 5}});
  auto n = static_cast<size_t>(f["sessions"]);
  auto drivers_n = static_cast<size_t>(f["drivers"]);
  auto duration = std::chrono::duration<double>(f["duration"]);
  auto cores = static_cast<double>(std::thread::hardware_concurrency());

  actor_system_setup cfg;
  caf::actor_system sys{cfg};
  app::node node{sys, inproc_config(n)};
  if (auto err = node.start()) {
    std::fprintf(stderr, "node: %s\n", sys.render(err).c_str());
    return 1;
  }
  auto routes = node.state().routes;
  std::vector<caf::actor> drivers;
  for (size_t i = 0; i < drivers_n; ++i)
    drivers.push_back(spawn_session_driver(sys, {[&node] { return node.broker(); }, routes}));

  // Sessions: open them all (drivers in parallel), then measure.
  auto rss0 = rss_kib();
  auto t0 = clock_type::now();
  on_threads(static_cast<int>(drivers_n), [&](int t) -> std::uint64_t {
    caf::scoped_actor self{sys};
    std::uint64_t ready = 0;
    self->request(drivers[static_cast<size_t>(t)], caf::infinite, bn_open_atom::value,
                  n / drivers_n)
        .receive([&](size_t r) { ready = r; }, [&](caf::error&) {});
    return ready;
  });
  auto open_s = us_since(t0) / 1e6;
  std::this_thread::sleep_for(std::chrono::seconds{1});
  auto opened = routes->size();
  auto per_session = static_cast<double>(rss_kib() - rss0) * 1024.0 / static_cast<double>(opened);
  emit("routing", "inproc_session_rss", per_session, "bytes",
       ",\"sessions\":" + std::to_string(opened) + ",\"open_s\":" + std::to_string(open_s) +
           ",\"opens_per_s\":" + std::to_string(static_cast<double>(opened) / open_s));

  // registry_table::find from every core.
  auto snapshot = routes->snapshot();
  std::vector<std::string> ids;
  for (auto& [id, r] : snapshot)
    ids.push_back(id);
  auto finds = on_threads(static_cast<int>(cores), [&](int t) -> std::uint64_t {
    std::mt19937 rng{static_cast<unsigned>(t)};
    std::uint64_t count = 0;
    auto until = clock_type::now() + duration;
    while (clock_type::now() < until)
      for (int k = 0; k < 256; ++k, ++count)
        if (!routes->find(ids[rng() % ids.size()]))
          std::abort();
    return count;
  });
  emit("routing", "table_find", finds / duration.count(), "ops/s",
       ",\"per_core\":" + std::to_string(finds / duration.count() / cores) +
           ",\"shards\":" + std::to_string(routes->num_shards()));

  // The registry actor: request/response, one outstanding request per thread.
  auto registry = node.state().registry->get();
  auto actor_finds = on_threads(static_cast<int>(drivers_n), [&](int t) -> std::uint64_t {
    caf::scoped_actor self{sys};
    std::uint64_t count = 0;
    auto until = clock_type::now() + duration;
    while (clock_type::now() < until) {
      self->request(registry, std::chrono::seconds{5}, reg::reg_find_atom::value,
                    ids[(count * 7919 + static_cast<size_t>(t)) % ids.size()])
          .receive([&](caf::actor&) { ++count; }, [&](caf::error&) { std::abort(); });
    }
    return count;
  });
  emit("routing", "registry_find", actor_finds / duration.count(), "ops/s",
       ",\"clients\":" + std::to_string(drivers_n));

  // Lookup + ping round trips over every session.
  std::atomic<std::uint64_t> lost{0};
  auto ops = on_threads(static_cast<int>(drivers_n), [&](int t) -> std::uint64_t {
    caf::scoped_actor self{sys};
    std::uint64_t done = 0;
    self->request(drivers[static_cast<size_t>(t)], caf::infinite, bn_run_atom::value,
                  caf::timespan{std::chrono::duration_cast<caf::timespan>(duration)})
        .receive(
            [&](std::uint64_t o, std::uint64_t l) {
              done = o;
              lost += l;
            },
            [&](caf::error&) {});
    return done;
  });
  emit("routing", "route_ping", ops / duration.count(), "ops/s",
       ",\"per_core\":" + std::to_string(ops / duration.count() / cores) +
           ",\"cores\":" + std::to_string(static_cast<int>(cores)) +
           ",\"sessions\":" + std::to_string(opened) + ",\"lost\":" + std::to_string(lost.load()));

  for (auto& d : drivers)
    caf::anon_send_exit(d, caf::exit_reason::user_shutdown);
  node.stop();
  return 0;
}
