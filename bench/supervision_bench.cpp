// Supervision benchmark: what a supervisor costs per child, how fast it
// repairs, and how much memory an idle child holds. Prints one JSON object per
// line: {"bench":"supervision","metric":...,"value":...,"unit":...,...}.
//
//   supervision_bench [--children N] [--restarts N] [--pool N] [--idle N]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace sup = cafmcp::supervision;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct options {
  int children = 10000; // start_child cost
  int restarts = 1000;  // crash -> replacement samples
  int pool = 1500;      // pool restart size
  int pool_kills = 20;  // pool restart samples
  int idle = 100000;    // idle children for RSS
};

double us_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
}

void emit(const std::string& metric, double value, const std::string& unit,
          const std::string& extra = {}) {
  std::printf("{\"bench\":\"supervision\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\"%s}\n",
              metric.c_str(), value, unit.c_str(), extra.c_str());
  std::fflush(stdout);
}

double percentile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto idx = static_cast<size_t>(p * static_cast<double>(xs.size() - 1));
  return xs[idx];
}

long rss_kib() {
  long pages_total = 0, pages_resident = 0;
  if (auto* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
      pages_resident = 0;
    std::fclose(f);
  }
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

caf::behavior idle_worker(caf::event_based_actor*) {
  return {[](caf::get_atom) { return caf::ok_atom::value; }};
}

sup::child_spec idle_spec() {
  sup::child_spec spec;
  spec.id = "worker";
  spec.restart = sup::restart_type::temporary;
  spec.shutdown = sup::shutdown_spec::brutal_kill();
  spec.start = [](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(idle_worker)};
  };
  return spec;
}

sup::supervisor_config pool_config(std::string name) {
  sup::supervisor_config cfg;
  cfg.name = std::move(name);
  cfg.flags.strategy = sup::strategy::simple_one_for_one;
  cfg.flags.intensity = 0;
  cfg.children = {idle_spec()};
  return cfg;
}

// Starts n children in `pool` with pipelined requests from one actor; returns
// the wall time until the last one runs.
double fill(caf::actor_system& sys, const caf::actor& pool, int n) {
  auto done = std::make_shared<std::promise<void>>();
  auto fut = done->get_future();
  auto t0 = clock_type::now();
  sys.spawn([pool, n, done](caf::event_based_actor* self) -> caf::behavior {
    auto left = std::make_shared<int>(n);
    for (int i = 0; i < n; ++i)
      self->request(pool, caf::infinite, sup::start_child_atom::value, caf::message{})
          .then(
              [=](sup::start_child_result&) {
                if (--*left == 0) {
                  done->set_value();
                  self->quit();
                }
              },
              [=](caf::error& e) {
                std::fprintf(stderr, "start_child failed: %s\n", caf::to_string(e).c_str());
                std::exit(1);
              });
    return {[](caf::ok_atom) {}};
  });
  fut.wait();
  return us_since(t0);
}

// Waits for a report matching pred; gives up after 30 s.
template <class Pred>
bool await_report(caf::scoped_actor& self, Pred pred) {
  bool found = false, timed_out = false;
  while (!found && !timed_out)
    self->receive([&](sup::supervisor_report& r) { found = pred(r); },
                  caf::after(30s) >> [&] { timed_out = true; });
  return found;
}

void bench_start_child(caf::actor_system& sys, const options& o) {
  auto pool = *sup::start_supervisor(sys, pool_config("bench_start"));
  auto us = fill(sys, pool, o.children);
  emit("start_child_per_child", us / o.children, "us",
       ",\"children\":" + std::to_string(o.children) +
           ",\"note\":\"spawn + monitor + init handshake, pipelined\"");
  sup::stop_supervisor(sys, pool);

  // The floor: a bare spawn + monitor without a supervisor.
  caf::scoped_actor self{sys};
  std::vector<caf::actor> raw;
  raw.reserve(static_cast<size_t>(o.children));
  auto t0 = clock_type::now();
  for (int i = 0; i < o.children; ++i) {
    raw.push_back(self->spawn(idle_worker));
    self->monitor(raw.back());
  }
  emit("raw_spawn_monitor_per_child", us_since(t0) / o.children, "us");
  for (auto& a : raw)
    self->send_exit(a, caf::exit_reason::kill);
  for (size_t i = 0; i < raw.size(); ++i)
    self->receive([](caf::down_msg&) {});
}

void bench_restart(caf::actor_system& sys, const options& o) {
  sup::supervisor_config cfg;
  cfg.name = "bench_restart";
  cfg.flags.intensity = o.restarts + 10;
  cfg.flags.period = 3600s;
  sup::child_spec spec = idle_spec();
  spec.id = "victim";
  spec.restart = sup::restart_type::permanent;
  cfg.children = {spec};
  auto s = *sup::start_supervisor(sys, cfg);
  caf::scoped_actor listener{sys};
  listener->join(sup::report_group(sys));
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(o.restarts));
  auto victim = sup::which_children(sys, s)->front().child;
  for (int i = 0; i < o.restarts; ++i) {
    auto t0 = clock_type::now();
    caf::anon_send_exit(victim, caf::exit_reason::kill);
    caf::actor_addr replacement;
    if (!await_report(listener, [&](const sup::supervisor_report& r) {
          if (r.kind == sup::report_kind::child_started && r.supervisor == "bench_restart") {
            replacement = r.child;
            return true;
          }
          return false;
        }))
      break;
    samples.push_back(us_since(t0));
    victim = caf::actor_cast<caf::actor>(replacement);
  }
  emit("crash_to_replacement_p50", percentile(samples, 0.5), "us",
       ",\"samples\":" + std::to_string(samples.size()) + ",\"target_us\":1000");
  emit("crash_to_replacement_p99", percentile(samples, 0.99), "us");
  sup::stop_supervisor(sys, s);
}

void bench_pool_restart(caf::actor_system& sys, const options& o) {
  // connection_pool_sup-like parent (one_for_one) over one simple_one_for_one pool.
  sup::supervisor_config parent_cfg;
  parent_cfg.name = "bench_pools";
  parent_cfg.flags.intensity = o.pool_kills + 10;
  parent_cfg.flags.period = 3600s;
  parent_cfg.children = {sup::supervisor_child("pool_0", pool_config("bench_pool_0"))};
  auto parent = *sup::start_supervisor(sys, parent_cfg);
  caf::scoped_actor listener{sys};
  listener->join(sup::report_group(sys));
  std::vector<double> back_empty, back_full;
  for (int k = 0; k < o.pool_kills; ++k) {
    auto pool = sup::which_children(sys, parent)->front().child;
    fill(sys, pool, o.pool);
    auto t0 = clock_type::now();
    caf::anon_send_exit(pool, caf::exit_reason::kill);
    caf::actor_addr fresh;
    if (!await_report(listener, [&](const sup::supervisor_report& r) {
          if (r.kind == sup::report_kind::child_started && r.supervisor == "bench_pools") {
            fresh = r.child;
            return true;
          }
          return false;
        }))
      break;
    back_empty.push_back(us_since(t0));
    fill(sys, caf::actor_cast<caf::actor>(fresh), o.pool);
    back_full.push_back(us_since(t0));
  }
  auto extra = ",\"children\":" + std::to_string(o.pool) +
               ",\"samples\":" + std::to_string(back_full.size());
  emit("pool_kill_to_restarted_p50", percentile(back_empty, 0.5) / 1000.0, "ms", extra);
  emit("pool_kill_to_all_children_running_p50", percentile(back_full, 0.5) / 1000.0, "ms",
       extra + ",\"target_ms\":50");
  emit("pool_kill_to_all_children_running_max",
       *std::max_element(back_full.begin(), back_full.end()) / 1000.0, "ms", extra);
  sup::stop_supervisor(sys, parent);
}

void bench_idle_rss(caf::actor_system& sys, const options& o) {
  auto pool = *sup::start_supervisor(sys, pool_config("bench_idle"));
  fill(sys, pool, 1000); // warm the allocator and the scheduler first
  sup::stop_supervisor(sys, pool);
  pool = *sup::start_supervisor(sys, pool_config("bench_idle"));
  auto before = rss_kib();
  auto us = fill(sys, pool, o.idle);
  auto after = rss_kib();
  auto counts = sup::count_children(sys, pool);
  emit("idle_child_rss", static_cast<double>(after - before) * 1024.0 / o.idle, "bytes",
       ",\"children\":" + std::to_string(counts ? counts->active : 0) + ",\"target_bytes\":2048");
  emit("idle_children_start_total", us / 1000.0, "ms", ",\"children\":" + std::to_string(o.idle));
  auto t0 = clock_type::now();
  sup::stop_supervisor(sys, pool);
  emit("idle_children_stop_total", us_since(t0) / 1000.0, "ms",
       ",\"children\":" + std::to_string(o.idle));
}

} // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (value <= 0) {
      std::fprintf(stderr, "bad value for %s\n", flag.c_str());
      return 2;
    }
    if (flag == "--children")
      o.children = value;
    else if (flag == "--restarts")
      o.restarts = value;
    else if (flag == "--pool")
      o.pool = value;
    else if (flag == "--pool-kills")
      o.pool_kills = value;
    else if (flag == "--idle")
      o.idle = value;
    else {
      std::fprintf(stderr, "usage: supervision_bench [--children N] [--restarts N] [--pool N] "
                           "[--pool-kills N] [--idle N]\n");
      return 2;
    }
  }
  caf::actor_system_config cfg;
  // DESIGN.md §6: CAF's scheduler sized to the cores, about 2x faster here.
  cfg.set("scheduler.max-threads", static_cast<int>(std::max(2L, sysconf(_SC_NPROCESSORS_ONLN))));
  sup::add_error_category(cfg);
  caf::actor_system sys{cfg};
  bench_start_child(sys, o);
  bench_restart(sys, o);
  bench_pool_restart(sys, o);
  bench_idle_rss(sys, o);
}
