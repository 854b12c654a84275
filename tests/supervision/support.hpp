#pragma once
// Test support for the supervision suites: a configurable worker, an event log
// that children write to as they start and stop, a listener for supervisor
// reports, and a fixture that owns an actor system. Everything waits on events
// with deadlines; nothing sleeps.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace sup = cafmcp::supervision;
using namespace std::chrono_literals;

namespace test {

using crash_atom = caf::atom_constant<caf::atom("t_crash")>;
using quit_atom = caf::atom_constant<caf::atom("t_quit")>;
using ping_atom = caf::atom_constant<caf::atom("t_ping")>;
using pong_atom = caf::atom_constant<caf::atom("t_pong")>;

// Generous: a loaded 2-core CI machine must never make a test flaky.
constexpr auto deadline = 10s;

// A thread-safe, ordered record of what children did ("start:a", "stop:a").
class event_log {
public:
  void push(std::string event) {
    std::lock_guard<std::mutex> guard{mtx_};
    events_.push_back(std::move(event));
    cv_.notify_all();
  }

  std::vector<std::string> snapshot() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return events_;
  }

  // Waits until `pred(events)` holds; false when the deadline passes first.
  bool wait_for(const std::function<bool(const std::vector<std::string>&)>& pred,
                std::chrono::milliseconds limit = deadline) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, limit, [&] { return pred(events_); });
  }

  size_t count(const std::string& event) const {
    std::lock_guard<std::mutex> guard{mtx_};
    return static_cast<size_t>(std::count(events_.begin(), events_.end(), event));
  }

  bool wait_count(const std::string& event, size_t n) {
    return wait_for([&](const std::vector<std::string>& es) {
      return static_cast<size_t>(std::count(es.begin(), es.end(), event)) >= n;
    });
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
};

// Polls `pred` until it holds; false when the deadline passes first. For state
// that changes without an event to wait on (a store another thread updates).
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds limit = deadline) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred())
      return true;
    std::this_thread::yield();
  }
  return false;
}

// How a worker reacts when its supervisor asks it to stop.
enum class on_shutdown {
  comply, // no exit handler: dies with the reason at once
  delay,  // traps, then quits with the reason after `delay`
  ignore, // traps and stays (only a kill ends it)
};

struct worker_opts {
  explicit worker_opts(std::string n, std::shared_ptr<event_log> l = nullptr,
                       on_shutdown s = on_shutdown::comply, std::chrono::milliseconds d = {},
                       bool throws = false)
      : name(std::move(n)), log(std::move(l)), stop(s), delay(d), throw_in_init(throws) {}

  std::string name;
  std::shared_ptr<event_log> log;
  on_shutdown stop = on_shutdown::comply;
  std::chrono::milliseconds delay{0};
  bool throw_in_init = false;
};

inline caf::behavior worker(caf::event_based_actor* self, worker_opts opts) {
  if (opts.throw_in_init)
    throw std::runtime_error("init failed: " + opts.name);
  if (opts.log) {
    opts.log->push("start:" + opts.name);
    self->attach_functor(
        [log = opts.log, name = opts.name](const caf::error&) { log->push("stop:" + name); });
  }
  if (opts.stop != on_shutdown::comply) {
    self->set_exit_handler([self, opts](caf::exit_msg& em) {
      if (opts.stop == on_shutdown::delay)
        self->delayed_send(self, opts.delay, quit_atom::value, em.reason);
    });
  }
  return {
      [](ping_atom) { return pong_atom::value; },
      [](crash_atom) { throw std::runtime_error("crash requested"); },
      [self](quit_atom, caf::error& reason) { self->quit(std::move(reason)); },
  };
}

// A start function for `worker`; `starts` counts the calls.
inline sup::start_fn worker_start(worker_opts opts,
                                  std::shared_ptr<std::atomic<int>> starts = nullptr) {
  return [opts, starts](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    if (starts)
      ++*starts;
    return sup::start_result{ctx.self->spawn(worker, opts)};
  };
}

inline sup::child_spec worker_spec(const std::string& id, sup::restart_type restart,
                                   std::shared_ptr<event_log> log = nullptr,
                                   std::shared_ptr<std::atomic<int>> starts = nullptr) {
  sup::child_spec spec;
  spec.id = id;
  spec.restart = restart;
  spec.start = worker_start(worker_opts{id, std::move(log)}, std::move(starts));
  return spec;
}

// Receives supervisor reports from the default report group.
class report_listener {
public:
  explicit report_listener(caf::actor_system& sys) : self_(sys) {
    self_->join(sup::report_group(sys));
  }

  // Waits for the first report (not yet consumed) that satisfies `pred`.
  std::optional<sup::supervisor_report>
  await(const std::function<bool(const sup::supervisor_report&)>& pred,
        std::chrono::milliseconds limit = deadline) {
    for (size_t i = next_; i < seen_.size(); ++i)
      if (pred(seen_[i])) {
        next_ = i + 1;
        return seen_[i];
      }
    auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      auto left = until - std::chrono::steady_clock::now();
      if (left <= 0ms)
        return std::nullopt;
      std::optional<sup::supervisor_report> got;
      bool timed_out = false;
      self_->receive([&](sup::supervisor_report& r) { got = std::move(r); },
                     caf::after(std::chrono::duration_cast<std::chrono::milliseconds>(left)) >>
                         [&] { timed_out = true; });
      if (timed_out)
        return std::nullopt;
      if (!got)
        continue;
      seen_.push_back(*got);
      if (pred(*got)) {
        next_ = seen_.size();
        return got;
      }
    }
  }

  std::optional<sup::supervisor_report> await(sup::report_kind kind, const std::string& supervisor,
                                              const std::string& child_id = {}) {
    return await([&](const sup::supervisor_report& r) {
      return r.kind == kind && r.supervisor == supervisor &&
             (child_id.empty() || r.child_id == child_id);
    });
  }

  // Waits until each of `wanted` (kind, supervisor, child) was reported, in
  // any order; false when the deadline passes first.
  bool await_all(std::vector<std::tuple<sup::report_kind, std::string, std::string>> wanted,
                 std::chrono::milliseconds limit = deadline) {
    auto start = next_;
    auto until = std::chrono::steady_clock::now() + limit;
    auto matches = [](const sup::supervisor_report& r, const auto& w) {
      return r.kind == std::get<0>(w) && r.supervisor == std::get<1>(w) &&
             r.child_id == std::get<2>(w);
    };
    size_t last = start;
    for (size_t i = start;; ++i) {
      while (i >= seen_.size()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left <= 0ms)
          return false;
        bool timed_out = false;
        self_->receive([&](sup::supervisor_report& r) { seen_.push_back(std::move(r)); },
                       caf::after(left) >> [&] { timed_out = true; });
        if (timed_out)
          return false;
      }
      for (auto w = wanted.begin(); w != wanted.end(); ++w)
        if (matches(seen_[i], *w)) {
          wanted.erase(w);
          last = i;
          break;
        }
      if (wanted.empty()) {
        next_ = last + 1;
        return true;
      }
    }
  }

  // Everything received so far (also what await skipped), then what arrives
  // within `settle` (a bound for "nothing else happened" checks).
  std::vector<sup::supervisor_report> drain(std::chrono::milliseconds settle = 200ms) {
    bool more = true;
    while (more)
      self_->receive([&](sup::supervisor_report& r) { seen_.push_back(std::move(r)); },
                     caf::after(settle) >> [&] { more = false; });
    return seen_;
  }

private:
  caf::scoped_actor self_;
  std::vector<sup::supervisor_report> seen_;
  size_t next_ = 0;
};

inline caf::actor_system_config& test_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  cafmcp::supervision::add_error_category(cfg);
  return cfg;
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{test_config(cfg)};
  caf::scoped_actor self{sys};
  std::vector<caf::actor> owned;

  ~fixture() {
    // The actor system waits for every actor at destruction: end what tests left.
    for (auto& a : owned)
      self->send_exit(a, caf::exit_reason::kill);
  }

  sup::supervisor_config config(std::string name, sup::strategy strat,
                                std::vector<sup::child_spec> children, int intensity = 1,
                                std::chrono::milliseconds period = 5000ms) {
    sup::supervisor_config c;
    c.name = std::move(name);
    c.flags.strategy = strat;
    c.flags.intensity = intensity;
    c.flags.period = period;
    c.children = std::move(children);
    return c;
  }

  caf::actor start(sup::supervisor_config c) {
    auto r = sup::start_supervisor(sys, std::move(c));
    if (!r)
      throw std::runtime_error("supervisor failed to start: " + sys.render(r.error()));
    owned.push_back(*r);
    return *r;
  }

  std::vector<sup::child_info> children(const caf::actor& s) {
    auto r = sup::which_children(sys, s);
    return r ? *r : std::vector<sup::child_info>{};
  }

  // Polls which_children until `pred` holds (a supervisor handles a child's
  // down asynchronously); false when the deadline passes first.
  bool wait_children(const caf::actor& s,
                     const std::function<bool(const std::vector<sup::child_info>&)>& pred) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until)
      if (pred(children(s)))
        return true;
    return false;
  }

  caf::actor child(const caf::actor& s, const std::string& id) {
    for (auto& c : children(s))
      if (c.id == id)
        return c.child;
    return {};
  }

  // Waits for `who` to terminate; returns its exit reason, or nullopt on timeout.
  std::optional<caf::error> await_exit(const caf::actor& who,
                                       std::chrono::milliseconds limit = deadline) {
    if (!who)
      return std::nullopt; // monitoring an invalid handle crashes CAF 0.17
    self->monitor(who);
    std::optional<caf::error> reason;
    auto until = std::chrono::steady_clock::now() + limit;
    while (!reason) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left <= 0ms)
        return std::nullopt;
      bool timed_out = false;
      self->receive(
          [&](caf::down_msg& dm) {
            if (dm.source == who.address())
              reason = dm.reason;
          },
          caf::after(left) >> [&] { timed_out = true; });
      if (timed_out)
        return std::nullopt;
    }
    return reason;
  }

  bool alive(const caf::actor& who) {
    bool ok = false;
    self->request(who, 2s, ping_atom::value)
        .receive([&](pong_atom) { ok = true; }, [](caf::error&) {});
    return ok;
  }
};

} // namespace test
