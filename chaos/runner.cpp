#include "cafmcp/chaos/runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iomanip>
#include <mutex>
#include <ostream>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "cafmcp/chaos/analysis.hpp"
#include "cafmcp/chaos/pool_probe.hpp"

namespace cafmcp::chaos {

namespace {

double ms_between(steady::time_point from, steady::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

std::optional<double> ms_since(steady::time_point from, std::optional<steady::time_point> to) {
  if (!to)
    return std::nullopt;
  return ms_between(from, *to);
}

// How long the runner waits for a victim's way back before calling it missed.
std::chrono::milliseconds patience(domain_kind d) {
  return std::max(sla_of(d) * 5, std::chrono::milliseconds{5000});
}

// The live progress line: once a second until stopped.
class progress_line {
public:
  progress_line(std::ostream* out, const std::string& name, const load_driver& load)
      : out_(out), name_(name), load_(load) {
    if (out_)
      thread_ = std::thread{[this] { loop(); }};
  }
  ~progress_line() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable())
      thread_.join();
    if (out_)
      *out_ << "\n" << std::flush;
  }

private:
  void loop() {
    auto began = steady::now();
    std::uint64_t last_ok = 0;
    std::unique_lock<std::mutex> guard{mtx_};
    while (!cv_.wait_for(guard, std::chrono::seconds{1}, [this] { return done_; })) {
      auto& c = load_.counters();
      auto ok = c.ok.load();
      *out_ << "\r[" << name_ << "] " << std::fixed << std::setprecision(0)
            << ms_between(began, steady::now()) / 1000 << " s  sessions " << c.connected.load()
            << "  ok " << ok << " (" << ok - last_ok << "/s)  failed " << c.failed.load()
            << "  re-inits " << c.reconnects.load() << "      " << std::flush;
      last_ok = ok;
    }
  }

  std::ostream* out_;
  std::string name_;
  const load_driver& load_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// Resolves "session" victims to a live session of the load.
victim_result resolve(const victim& v, const load_driver& load, target& t, std::mt19937_64& rng) {
  victim_result out;
  out.who = v;
  if (v.domain == domain_kind::server) {
    if (auto picked = load.pick_session(rng)) {
      out.who.name = "session:" + picked->second;
      out.pool = t.pool_of(picked->second);
      out.transport = load.logs()[picked->first]->transport();
    } else {
      out.kill_error = "no load session knows its id yet";
    }
  } else if (v.domain == domain_kind::pool) {
    out.pool = pool_index_of(v.name);
  }
  return out;
}

// What measuring a victim needs besides the target: how to open probe sessions.
struct probe_context {
  caf::actor_system* sys;
  transports::io_runner* io;
  std::vector<endpoint> endpoints;
  std::string tool;
};

// Measures one victim's way back; runs on a thread of its own.
void measure(target& t, const probe_context& ctx, victim_result& v, steady::time_point kill) {
  auto deadline = kill + patience(v.who.domain);
  v.running_ms = ms_since(kill, t.await_running(v.who, kill, deadline));
  v.registered_ms = ms_since(kill, t.await_registered(v.who, kill, deadline));
  v.serving_ms = ms_since(kill, t.await_serving(v.who, kill, deadline));
  if (v.who.domain == domain_kind::pool && v.pool && v.running_ms && !ctx.endpoints.empty()) {
    auto probed = probe_pool(
        *ctx.sys, *ctx.io, ctx.endpoints.front(), *v.pool,
        [&t](const std::string& id) { return t.pool_of(id); }, ctx.tool, deadline);
    v.registered_ms = ms_since(kill, probed.registered);
    v.serving_ms = ms_since(kill, probed.serving);
  }
}

// Restarts no victim killed before them explains, attributed to the last
// injection before each.
void attribute_cascades(scenario_result& r, const std::vector<steady::time_point>& kills,
                        const tree_events& events, steady::time_point end) {
  if (kills.empty())
    return;
  std::vector<victim> killed_so_far;
  for (std::size_t i = 0; i < r.injections.size(); ++i) {
    for (auto& v : r.injections[i].victims)
      killed_so_far.push_back(v.who);
    auto to = i + 1 < kills.size() ? kills[i + 1] : end;
    r.injections[i].cascades = events.cascades(killed_so_far, kills[i], to);
  }
}

} // namespace

scenario_result run_scenario(caf::actor_system& sys, transports::io_runner& io, target& t,
                             const scenario& s, const run_options& opts) {
  scenario_result r;
  r.scenario = s.name;
  r.seed = opts.seed;
  std::mt19937_64 rng{opts.seed};

  load_settings ls;
  ls.sessions = opts.sessions;
  ls.calls_per_second = opts.calls_per_second;
  ls.call_timeout = opts.call_timeout;
  ls.seed = opts.seed;
  ls.pool_of = [&t](const std::string& id) { return t.pool_of(id); };
  std::vector<endpoint> endpoints;
  for (auto& ep : t.endpoints())
    if (opts.transports.empty() ||
        std::find(opts.transports.begin(), opts.transports.end(),
                  client::to_string(ep.transport)) != opts.transports.end())
      endpoints.push_back(ep);
  // Probes prefer a connection transport: a session is one socket there.
  probe_context probes{&sys, &io, endpoints, ls.tool};
  std::stable_sort(probes.endpoints.begin(), probes.endpoints.end(),
                   [](const endpoint& a, const endpoint& b) {
                     auto cheap = [](const endpoint& e) {
                       return e.transport == client::client_transport::websocket ||
                              e.transport == client::client_transport::tcp;
                     };
                     return cheap(a) && !cheap(b);
                   });
  load_driver load{sys, io, std::move(endpoints), ls};
  std::vector<steady::time_point> kills;
  steady::time_point run_start;
  {
    progress_line line{opts.progress, s.name, load};
    auto limit = std::chrono::milliseconds{30000 + static_cast<int64_t>(opts.sessions) * 5};
    auto opened = load.start(limit);
    if (!opened) {
      r.checks.push_back({"load sessions opened", std::to_string(opts.sessions),
                          sys.render(opened.error()), false});
      return r;
    }
    r.open_all_ms = *opened;
    run_start = steady::now();
    std::this_thread::sleep_until(run_start + opts.warmup);
    r.durability_checked = t.checks_durability();
    if (auto err = t.write_durable("before"))
      r.lost_data.push_back("could not write durable data before the chaos: " + sys.render(err));

    plan_context ctx;
    ctx.num_pools = t.num_pools();
    ctx.duration = opts.duration;
    ctx.kills_per_second = opts.kills_per_second;
    ctx.rng = &rng;
    auto plan = s.plan(ctx);
    r.injections.resize(plan.size());
    std::vector<std::thread> measurers;
    auto chaos_start = steady::now();
    for (std::size_t i = 0; i < plan.size(); ++i) {
      std::this_thread::sleep_until(chaos_start + plan[i].at);
      auto& inj = r.injections[i];
      inj.at_ms = ms_between(chaos_start, steady::now());
      for (auto& v : plan[i].victims)
        inj.victims.push_back(resolve(v, load, t, rng));
      auto kill = steady::now();
      kills.push_back(kill);
      for (std::size_t k = 0; k < inj.victims.size(); ++k) {
        auto& v = inj.victims[k];
        if (!v.kill_error.empty())
          continue;
        auto err = t.kill(v.who);
        // A session picked a moment ago may have ended since (its pool was
        // killed): pick another, a few times.
        for (int again = 0; err && v.who.domain == domain_kind::server && again < 3; ++again) {
          v = resolve(plan[i].victims[k], load, t, rng);
          err = v.kill_error.empty() ? t.kill(v.who) : caf::error{};
        }
        if (err)
          v.kill_error = sys.render(err);
      }
      for (auto& v : inj.victims)
        if (v.kill_error.empty())
          measurers.emplace_back([&t, &probes, &v, kill] { measure(t, probes, v, kill); });
    }
    for (auto& m : measurers)
      m.join();
    r.chaos_ms = ms_between(chaos_start, steady::now());
    // The sessions of killed pools (or of the node) re-initialize: wait for
    // them, so that their way back is in the logs.
    if (!load.await_connected(steady::now() + std::chrono::seconds{30}))
      r.checks.push_back({"load sessions back after the chaos", std::to_string(opts.sessions),
                          std::to_string(load.counters().connected.load()), false});
    std::this_thread::sleep_for(opts.settle);
    if (auto err = t.write_durable("after"))
      r.lost_data.push_back("could not write durable data after the chaos: " + sys.render(err));
    for (auto& lost : t.check_durable())
      r.lost_data.push_back(lost);
  }
  auto run_end = steady::now();
  load.stop();
  r.failures_by_kind = load.counters().call_failures();
  attribute_cascades(r, kills, t.events(), run_end);
  analysis_input in;
  in.logs = &load.logs();
  in.run_start = run_start;
  in.run_end = run_end;
  in.kill_times = kills;
  in.num_pools = t.num_pools();
  analyze(r, in);
  return r;
}

} // namespace cafmcp::chaos
