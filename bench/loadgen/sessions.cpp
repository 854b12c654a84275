// Many concurrent sessions: how much they cost the server, and whether they
// all still work after idling. Single io thread (the phases are sequenced by
// one coroutine that polls counters).
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <utility> // before Boost.Asio awaitable.hpp (Boost 1.74 forgets it)
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "channels.hpp"
#include "mcp_messages.hpp"
#include "runs.hpp"
#include "stats.hpp"

namespace loadgen {

namespace net = boost::asio;
using net::awaitable;
using net::use_awaitable;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct slot {
  std::unique_ptr<channel> ch; // WS/TCP: the session's connection
  std::string session_id;      // HTTP
  std::string version;
  std::shared_ptr<tcp::socket> get_stream; // HTTP
  bool open = false;
};

struct shared_state {
  shared_state(net::io_context& io_, const options& opt_, tcp::endpoint server_)
      : io(io_), opt(opt_), server(server_) {}
  net::io_context& io;
  const options& opt;
  tcp::endpoint server;
  std::vector<slot> slots;
  size_t next = 0;
  int workers_done = 0;
  // Results.
  size_t opened = 0;
  size_t open_errors = 0;
  size_t ping_ok = 0;
  size_t ping_failed = 0;
  std::string first_error;
  std::vector<std::uint32_t> trickle_us;
  size_t trickle_errors = 0;

  void note(const std::string& e) {
    if (first_error.empty())
      first_error = e;
  }
  const std::string& source(size_t i) const {
    static const std::string any;
    return opt.sources.empty() ? any : opt.sources[i % opt.sources.size()];
  }
};

awaitable<void> sleep_for(double seconds) {
  net::steady_timer t{co_await net::this_coro::executor};
  t.expires_after(
      std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds)));
  co_await t.async_wait(use_awaitable);
}

// An HTTP connection shared by many sessions (their POSTs).
awaitable<std::unique_ptr<channel>> control_channel(shared_state& s, size_t w) {
  auto ch = make_channel(s.io, s.opt);
  co_await ch->connect(s.server, s.source(w));
  co_return ch;
}

awaitable<void> open_worker(shared_state& s, size_t w) {
  std::unique_ptr<channel> control;
  for (size_t i; (i = s.next++) < s.slots.size();) {
    auto& sl = s.slots[i];
    try {
      if (s.opt.how == mode::http) {
        if (!control)
          control = co_await control_channel(s, w);
        control->session_id.clear();
        control->version.clear();
        auto body = co_await control->request(initialize_request(1));
        if (auto why = check_initialize(body, sl.version); !why.empty())
          throw channel_error(why);
        sl.session_id = control->session_id;
        control->version = sl.version;
        co_await control->notify(initialized_notification());
        sl.get_stream =
            co_await open_get_stream(s.io, s.opt, s.server, s.source(i), sl.session_id, sl.version);
        net::co_spawn(s.io, drain(sl.get_stream), net::detached);
      } else {
        auto ch = make_channel(s.io, s.opt);
        co_await ch->connect(s.server, s.source(i));
        auto body = co_await ch->request(initialize_request(1));
        if (auto why = check_initialize(body, ch->version); !why.empty())
          throw channel_error(why);
        co_await ch->notify(initialized_notification());
        sl.ch = std::move(ch);
      }
      sl.open = true;
      ++s.opened;
    } catch (const std::exception& e) {
      ++s.open_errors;
      s.note(std::string{"open: "} + e.what());
      control.reset();
    }
  }
  ++s.workers_done;
}

// One request to session i, on its own connection or (HTTP) on `control`.
awaitable<bool> call_session(shared_state& s, size_t i, std::unique_ptr<channel>& control, size_t w,
                             const std::string& message, std::uint64_t id,
                             const std::string& echo_text) {
  auto& sl = s.slots[i];
  std::string body;
  if (s.opt.how == mode::http) {
    if (!control)
      control = co_await control_channel(s, w);
    control->session_id = sl.session_id;
    control->version = sl.version;
    body = co_await control->request(message);
  } else {
    body = co_await sl.ch->request(message);
  }
  co_return echo_text.empty() ? is_result(body, id) : is_echo_result(body, id, echo_text);
}

awaitable<void> ping_worker(shared_state& s, size_t w) {
  std::unique_ptr<channel> control;
  for (size_t i; (i = s.next++) < s.slots.size();) {
    if (!s.slots[i].open) {
      ++s.ping_failed;
      continue;
    }
    std::uint64_t id = 1000000 + i;
    try {
      if (co_await call_session(s, i, control, w, ping_request(id), id, {}))
        ++s.ping_ok;
      else
        ++s.ping_failed;
    } catch (const std::exception& e) {
      ++s.ping_failed;
      s.note(std::string{"ping: "} + e.what());
      control.reset();
      s.slots[i].open = false;
    }
  }
  ++s.workers_done;
}

awaitable<void> trickle(shared_state& s, clock_type::time_point until) {
  std::mt19937_64 rng{42};
  std::unique_ptr<channel> control;
  auto interval = 1.0 / s.opt.trickle_rps;
  std::uint64_t seq = 0;
  while (clock_type::now() < until) {
    auto started = clock_type::now();
    auto i = static_cast<size_t>(rng() % s.slots.size());
    if (s.slots[i].open) {
      ++seq;
      std::uint64_t id = 2000000 + seq;
      std::string text = "t" + std::to_string(seq);
      try {
        bool ok = co_await call_session(s, i, control, 0, echo_request(id, text), id, text);
        auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - started);
        if (ok)
          s.trickle_us.push_back(static_cast<std::uint32_t>(us.count()));
        else
          ++s.trickle_errors;
      } catch (const std::exception& e) {
        ++s.trickle_errors;
        s.note(std::string{"trickle: "} + e.what());
        control.reset();
        s.slots[i].open = false;
      }
    }
    auto spent = std::chrono::duration<double>(clock_type::now() - started).count();
    if (spent < interval)
      co_await sleep_for(interval - spent);
  }
}

awaitable<void> run_workers(shared_state& s, bool open_phase) {
  s.next = 0;
  s.workers_done = 0;
  auto n = static_cast<size_t>(s.opt.open_concurrency);
  for (size_t w = 0; w < n; ++w)
    net::co_spawn(s.io, open_phase ? open_worker(s, w) : ping_worker(s, w), net::detached);
  while (static_cast<size_t>(s.workers_done) < n)
    co_await sleep_for(0.005);
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

awaitable<void> sequence(shared_state& s, nlohmann::json& out) {
  auto pid = s.opt.server_pid;
  out["rss_before_kib"] = rss_kib(pid);
  out["fds_before"] = open_fds(pid);
  auto t0 = clock_type::now();
  co_await run_workers(s, true);
  out["open_s"] = seconds_since(t0);
  co_await sleep_for(1.0); // let the server settle (lazy allocations, timers)
  out["rss_after_open_kib"] = rss_kib(pid);
  out["fds_after_open"] = open_fds(pid);
  auto idle_end = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                          std::chrono::duration<double>(s.opt.idle_s));
  if (s.opt.trickle_rps > 0)
    co_await trickle(s, idle_end);
  else
    co_await sleep_for(s.opt.idle_s);
  out["rss_after_idle_kib"] = rss_kib(pid);
  auto t1 = clock_type::now();
  co_await run_workers(s, false);
  out["ping_s"] = seconds_since(t1);
  s.io.stop();
}

} // namespace

std::string run_sessions(const options& opt) {
  net::io_context io{1};
  shared_state s{io, opt, tcp::endpoint{net::ip::make_address(opt.host), opt.port}};
  s.slots.resize(static_cast<size_t>(opt.sessions));
  nlohmann::json out{{"bench", "sessions"},        {"target", opt.label},
                     {"mode", to_string(opt.how)}, {"sessions", opt.sessions},
                     {"idle_s", opt.idle_s},       {"trickle_rps", opt.trickle_rps}};
  net::co_spawn(io, sequence(s, out), net::detached);
  io.run();
  auto opened = static_cast<double>(s.opened);
  out["opened"] = s.opened;
  out["open_errors"] = s.open_errors;
  out["ping_ok"] = s.ping_ok;
  out["ping_failed"] = s.ping_failed;
  out["all_answered"] = s.ping_ok == static_cast<size_t>(opt.sessions);
  if (opened > 0 && out.contains("rss_after_open_kib")) {
    double delta = out["rss_after_open_kib"].get<double>() - out["rss_before_kib"].get<double>();
    out["rss_per_session_bytes"] = delta * 1024.0 / opened;
    double idle_delta =
        out["rss_after_idle_kib"].get<double>() - out["rss_before_kib"].get<double>();
    out["rss_per_session_after_idle_bytes"] = idle_delta * 1024.0 / opened;
  }
  if (opt.trickle_rps > 0) {
    std::sort(s.trickle_us.begin(), s.trickle_us.end());
    out["trickle_requests"] = s.trickle_us.size();
    out["trickle_errors"] = s.trickle_errors;
    out["trickle_p50_us"] = percentile(s.trickle_us, 0.5);
    out["trickle_p99_us"] = percentile(s.trickle_us, 0.99);
  }
  out["loadgen_rss_kib"] = rss_kib(0);
  if (!s.first_error.empty())
    out["first_error"] = s.first_error;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace loadgen
