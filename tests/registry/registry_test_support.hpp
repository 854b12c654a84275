// Shared helpers of the registry tests: an actor system sized like the target machine, a table
// and ref owned by the test (as the registry's supervisor would own them), stand-in server
// actors, and waits that block on events with a deadline (never on a bare sleep).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "cafmcp/registry/registry_actor.hpp"
#include "cafmcp/registry/registry_atoms.hpp"
#include "cafmcp/registry/registry_error.hpp"
#include "cafmcp/registry/registry_ref.hpp"
#include "cafmcp/registry/registry_table.hpp"

namespace cafmcp::registry::test {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

using t_quit_atom = caf::atom_constant<caf::atom("t_quit")>;
using t_crash_atom = caf::atom_constant<caf::atom("t_crash")>;
using t_done_atom = caf::atom_constant<caf::atom("t_done")>;

// Generous bound for a single answer: only hit when something is broken.
constexpr auto answer_timeout = 5s;

inline double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

// Waits until `pred` holds or the timeout passes. For state that another thread changes within
// microseconds of an event we cannot observe directly (e.g. an actor's cleanup after its down
// message went out); it yields instead of sleeping.
template <class Pred>
bool wait_until(Pred pred, clock_type::duration timeout = answer_timeout) {
  auto deadline = clock_type::now() + timeout;
  while (!pred()) {
    if (clock_type::now() > deadline)
      return false;
    std::this_thread::yield();
  }
  return true;
}

struct test_config : caf::actor_system_config {
  test_config() {
    // As in production on this 2-core machine (caf-0.17.md §5).
    set("scheduler.max-threads", 2);
    add_registry_error_category(*this);
  }
};

// A stand-in for an MCP server actor: it can be told to quit normally or to crash. `serial` only
// exists because spawning an actor without arguments trips UBSan inside CAF 0.17.6
// (caf-0.17.md §7.3), and the sanitizer build halts on the first report.
inline caf::behavior test_server(caf::event_based_actor* self, std::size_t serial) {
  // Keeps a crash quiet and makes its reason the usual one (caf-0.17.md §3.3).
  self->set_exception_handler(
      [](std::exception_ptr&) -> caf::error { return caf::make_error(caf::sec::runtime_error); });
  return {
      [self](t_quit_atom) { self->quit(); },
      [serial](t_crash_atom) {
        throw std::runtime_error("test server " + std::to_string(serial) + " crashes");
      },
  };
}

// Registers every (id, server) of `items` in `pool` with pipelined requests, then reports
// (t_done_atom, ok, already_registered, other errors) to `report_to` and quits.
inline caf::behavior registrar(caf::event_based_actor* self, caf::actor registry,
                               std::vector<std::pair<std::string, caf::actor>> items,
                               std::size_t pool, caf::actor report_to) {
  struct tally {
    std::size_t ok = 0, clash = 0, other = 0, expected = 0;
  };
  auto t = std::make_shared<tally>();
  t->expected = items.size();
  auto check_done = [self, t, report_to] {
    if (t->ok + t->clash + t->other == t->expected) {
      self->send(report_to, t_done_atom::value, t->ok, t->clash, t->other);
      self->quit();
    }
  };
  for (auto& [id, server] : items)
    self->request(registry, answer_timeout, reg_add_atom::value, id, server, pool)
        .then(
            [t, check_done](caf::ok_atom) {
              ++t->ok;
              check_done();
            },
            [t, check_done](caf::error& err) {
              if (is(err, registry_errc::already_registered))
                ++t->clash;
              else
                ++t->other;
              check_done();
            });
  if (items.empty())
    check_done();
  return {[](caf::get_atom) {}};
}

// Looks every id of `items` up with pipelined requests, then reports (t_done_atom, answers
// naming the expected server, answers naming another one, errors) to `report_to` and quits.
inline caf::behavior looker(caf::event_based_actor* self, caf::actor registry,
                            std::vector<std::pair<std::string, caf::actor>> items,
                            caf::actor report_to) {
  struct tally {
    std::size_t right = 0, wrong = 0, failed = 0, expected = 0;
  };
  auto t = std::make_shared<tally>();
  t->expected = items.size();
  auto check_done = [self, t, report_to] {
    if (t->right + t->wrong + t->failed == t->expected) {
      self->send(report_to, t_done_atom::value, t->right, t->wrong, t->failed);
      self->quit();
    }
  };
  for (auto& [id, server] : items)
    self->request(registry, answer_timeout, reg_find_atom::value, id)
        .then(
            [t, check_done, expected = server](caf::actor& found) {
              if (found == expected)
                ++t->right;
              else
                ++t->wrong;
              check_done();
            },
            [t, check_done](caf::error&) {
              ++t->failed;
              check_done();
            });
  if (items.empty())
    check_done();
  return {[](caf::get_atom) {}};
}

// What registrars or lookers reported (for lookers: ok = right, clash = wrong).
struct registrar_report {
  std::size_t ok = 0, clash = 0, other = 0;
  bool timed_out = false;
};

// The registry's supervisor, as far as these tests need one: owns the table and the ref, starts
// incarnations of the registry actor with them, and cleans everything up at the end.
struct registry_fixture {
  test_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<registry_table> table = std::make_shared<registry_table>(8);
  std::shared_ptr<registry_ref> ref = std::make_shared<registry_ref>();
  std::vector<caf::actor> owned; // killed at the end, so that the system can shut down

  ~registry_fixture() {
    table->clear();
    for (auto& a : owned)
      caf::anon_send_exit(a, caf::exit_reason::kill);
  }

  caf::actor spawn_registry() {
    auto r = sys.spawn(registry_actor, table, ref);
    owned.push_back(r);
    return r;
  }

  caf::actor spawn_server() {
    auto s = sys.spawn(test_server, owned.size());
    owned.push_back(s);
    return s;
  }

  std::vector<caf::actor> spawn_servers(std::size_t n) {
    std::vector<caf::actor> result;
    result.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      result.push_back(spawn_server());
    return result;
  }

  // Kills `who` and returns once its down message arrived (false on timeout).
  bool kill_and_wait(const caf::actor& who, caf::error reason = caf::exit_reason::kill) {
    caf::scoped_actor watcher{sys};
    watcher->monitor(who);
    watcher->send_exit(who, std::move(reason));
    return wait_for_down(watcher);
  }

  // Kills every actor of `victims` at once and returns once all their down messages arrived.
  bool kill_all_and_wait(const std::vector<caf::actor>& victims,
                         caf::error reason = caf::exit_reason::kill) {
    caf::scoped_actor watcher{sys};
    for (auto& v : victims) {
      watcher->monitor(v);
      watcher->send_exit(v, reason);
    }
    for (std::size_t i = 0; i < victims.size(); ++i)
      if (!wait_for_down(watcher))
        return false;
    return true;
  }

  // Waits for the next down message of `watcher` (which monitors exactly one actor).
  static bool wait_for_down(caf::scoped_actor& watcher, caf::error* reason = nullptr) {
    bool got = false;
    watcher->receive(
        [&](caf::down_msg& dm) {
          got = true;
          if (reason)
            *reason = dm.reason;
        },
        caf::after(answer_timeout) >> [] {});
    return got;
  }

  caf::error add(const caf::actor& registry, const std::string& id, const caf::actor& server,
                 std::size_t pool = 0) {
    caf::error result = caf::make_error(caf::sec::request_timeout);
    self->request(registry, answer_timeout, reg_add_atom::value, id, server, pool)
        .receive([&](caf::ok_atom) { result = caf::none; },
                 [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  caf::error remove(const caf::actor& registry, const std::string& id) {
    caf::error result = caf::make_error(caf::sec::request_timeout);
    self->request(registry, answer_timeout, reg_del_atom::value, id)
        .receive([&](caf::ok_atom) { result = caf::none; },
                 [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  caf::expected<caf::actor> lookup(const caf::actor& registry, const std::string& id) {
    caf::expected<caf::actor> result = caf::make_error(caf::sec::request_timeout);
    self->request(registry, answer_timeout, reg_find_atom::value, id)
        .receive([&](caf::actor& server) { result = std::move(server); },
                 [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  std::size_t count(const caf::actor& registry) {
    std::size_t result = static_cast<std::size_t>(-1);
    self->request(registry, answer_timeout, reg_count_atom::value)
        .receive([&](std::size_t n) { result = n; }, [](caf::error&) {});
    return result;
  }

  std::size_t count_in_pool(const caf::actor& registry, std::size_t pool) {
    std::size_t result = static_cast<std::size_t>(-1);
    self->request(registry, answer_timeout, reg_count_atom::value, pool)
        .receive([&](std::size_t n) { result = n; }, [](caf::error&) {});
    return result;
  }

  // Asks the registry until `count` reaches `expected` or the deadline passes. Each probe is a
  // round trip through the registry's mailbox, so this waits on the registry's own progress.
  bool wait_for_count(const caf::actor& registry, std::size_t expected,
                      clock_type::duration timeout = answer_timeout) {
    auto deadline = clock_type::now() + timeout;
    do {
      if (count(registry) == expected)
        return true;
    } while (clock_type::now() < deadline);
    return false;
  }

  // Registers `items` from `num_registrars` concurrent actors and sums their reports.
  registrar_report register_all(const caf::actor& registry,
                                const std::vector<std::pair<std::string, caf::actor>>& items,
                                std::size_t num_registrars = 1, std::size_t pool = 0) {
    return run_workers(registry, items, num_registrars, [&](auto part, auto report_to) {
      sys.spawn(registrar, registry, std::move(part), pool, report_to);
    });
  }

  // Looks `items` up from `num_lookers` concurrent actors and sums their reports.
  registrar_report lookup_all(const caf::actor& registry,
                              const std::vector<std::pair<std::string, caf::actor>>& items,
                              std::size_t num_lookers = 1) {
    return run_workers(registry, items, num_lookers, [&](auto part, auto report_to) {
      sys.spawn(looker, registry, std::move(part), report_to);
    });
  }

  template <class Spawn>
  registrar_report run_workers(const caf::actor&,
                               const std::vector<std::pair<std::string, caf::actor>>& items,
                               std::size_t num_workers, Spawn spawn) {
    registrar_report total;
    std::vector<std::vector<std::pair<std::string, caf::actor>>> parts(num_workers);
    for (std::size_t i = 0; i < items.size(); ++i)
      parts[i % num_workers].push_back(items[i]);
    caf::scoped_actor collector{sys};
    auto report_to = caf::actor_cast<caf::actor>(collector);
    for (auto& part : parts)
      spawn(std::move(part), report_to);
    for (std::size_t i = 0; i < num_workers; ++i)
      collector->receive(
          [&](t_done_atom, std::size_t ok, std::size_t clash, std::size_t other) {
            total.ok += ok;
            total.clash += clash;
            total.other += other;
          },
          caf::after(answer_timeout) >> [&] { total.timed_out = true; });
    return total;
  }
};

} // namespace cafmcp::registry::test
