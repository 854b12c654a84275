#pragma once
// Test support for the services suite: an actor system with our error categories, blocking
// requests with a deadline, a manual clock (TTL tests move time instead of sleeping), a
// listener for supervisor reports, and "run a service under a supervisor, kill it, wait for its
// restart". Everything waits on events with deadlines; nothing sleeps.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "cafmcp/actors/services/service_clock.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace svc_test {

namespace sup = cafmcp::supervision;
using namespace std::chrono_literals;

using t_ping_atom = caf::atom_constant<caf::atom("svt_ping")>;
using t_pong_atom = caf::atom_constant<caf::atom("svt_pong")>;

// Generous: a loaded 2-core CI machine must never make a test flaky.
constexpr auto deadline = 10s;

// Time that moves only when a test says so. Copies share the same time.
class manual_clock {
public:
  explicit manual_clock(std::int64_t start_ms = 1'750'000'000'000)
      : now_(std::make_shared<std::atomic<std::int64_t>>(start_ms)) {}

  cafmcp::services::clock_fn fn() const {
    return [now = now_] { return now->load(); };
  }
  std::int64_t now() const { return now_->load(); }
  void advance(std::chrono::milliseconds d) { *now_ += d.count(); }

private:
  std::shared_ptr<std::atomic<std::int64_t>> now_;
};

// A stand-in for an MCP server actor or a subscriber: answers ping, lives until told, and
// quietly drops the notifications it does not understand.
inline caf::behavior dummy_peer(caf::event_based_actor* self) {
  self->set_default_handler(caf::drop);
  return {[](t_ping_atom) { return t_pong_atom::value; }};
}

// A child spec that runs a dummy_peer (a plain worker to crash and restart).
inline sup::child_spec peer_spec(std::string id) {
  sup::child_spec spec;
  spec.id = std::move(id);
  spec.start = [](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(dummy_peer)};
  };
  return spec;
}

inline caf::actor_system_config& services_test_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  sup::add_error_category(cfg);
  cafmcp::services::add_services_error_category(cfg);
  return cfg;
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{services_test_config(cfg)};
  caf::scoped_actor self{sys};
  caf::scoped_actor reports{sys}; // joined to the supervisor report group
  std::vector<sup::supervisor_report> seen;
  std::vector<caf::actor> owned;

  fixture() { reports->join(sup::report_group(sys)); }

  ~fixture() {
    // The actor system waits for every actor at destruction: end what tests left.
    for (auto& a : owned)
      self->send_exit(a, caf::exit_reason::kill);
  }

  // Spawns and remembers an actor so the fixture ends it.
  template <class... Ts>
  caf::actor spawn(Ts&&... xs) {
    auto a = sys.spawn(std::forward<Ts>(xs)...);
    owned.push_back(a);
    return a;
  }

  // A blocking request with the deadline; the answer or the error.
  template <class T, class... Ts>
  caf::expected<T> ask(const caf::actor& who, Ts&&... xs) {
    caf::expected<T> out{caf::error{}};
    self->request(who, deadline, std::forward<Ts>(xs)...)
        .receive([&](T& x) { out = std::move(x); }, [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  // For requests answered with caf::ok_atom: the error, empty on success.
  template <class... Ts>
  caf::error ask_ok(const caf::actor& who, Ts&&... xs) {
    auto r = ask<caf::ok_atom>(who, std::forward<Ts>(xs)...);
    return r ? caf::error{} : r.error();
  }

  std::string render(const caf::error& e) { return sys.render(e); }

  // Polls `pred` until it holds; false when the deadline passes first. For state that is only
  // observable by asking (each ask is a round trip, so this never spins idle).
  bool eventually(const std::function<bool()>& pred) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until)
      if (pred())
        return true;
    return false;
  }

  // Waits for the first report (not seen before) that satisfies `pred`.
  std::optional<sup::supervisor_report>
  await_report(const std::function<bool(const sup::supervisor_report&)>& pred) {
    auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left <= 0ms)
        return std::nullopt;
      std::optional<sup::supervisor_report> got;
      reports->receive([&](sup::supervisor_report& r) { got = std::move(r); },
                       caf::after(left) >> [] {});
      if (!got)
        return std::nullopt;
      seen.push_back(*got);
      if (pred(*got))
        return got;
    }
  }

  // Runs `spec` as the only child of a one_for_one supervisor named `name`.
  caf::actor supervise(sup::child_spec spec, std::string name = "services_sup") {
    sup::supervisor_config c;
    c.name = std::move(name);
    c.flags.strategy = sup::strategy::one_for_one;
    c.flags.intensity = 5;
    c.flags.period = 5000ms;
    c.children.push_back(std::move(spec));
    auto r = sup::start_supervisor(sys, std::move(c));
    if (!r)
      throw std::runtime_error("supervisor failed to start: " + sys.render(r.error()));
    owned.push_back(*r);
    return *r;
  }

  caf::actor child(const caf::actor& supervisor, const std::string& id) {
    auto r = sup::which_children(sys, supervisor);
    if (r)
      for (auto& c : *r)
        if (c.id == id)
          return c.child;
    return {};
  }

  // Waits for `who` to terminate; its exit reason, or nothing on timeout.
  std::optional<caf::error> await_exit(const caf::actor& who) {
    if (!who)
      return std::nullopt; // monitoring an invalid handle crashes CAF 0.17
    caf::scoped_actor watcher{sys};
    watcher->monitor(who);
    std::optional<caf::error> reason;
    watcher->receive([&](caf::down_msg& dm) { reason = dm.reason; }, caf::after(deadline) >> [] {});
    return reason;
  }

  // Kills the child `id` with exit_reason::kill (untrappable, no cleanup code of its own runs)
  // and waits for its supervisor's child_started report of the replacement. Returns the
  // replacement, or an invalid handle when the deadline passed.
  caf::actor kill_and_await_restart(const caf::actor& supervisor, const std::string& sup_name,
                                    const std::string& id) {
    auto old = child(supervisor, id);
    if (!old)
      return {};
    caf::anon_send_exit(old, caf::exit_reason::kill);
    auto started = await_report([&](const sup::supervisor_report& r) {
      return r.kind == sup::report_kind::child_started && r.supervisor == sup_name &&
             r.child_id == id && r.child != old.address();
    });
    if (!started)
      return {};
    return caf::actor_cast<caf::actor>(started->child);
  }
};

} // namespace svc_test
