// Restart types and strategies (supervisor_SUITE: permanent_normal,
// transient_normal, temporary_normal/abnormal, one_for_all, rest_for_one,
// their escalation cases, and the failed-restart retry).
#include <doctest/doctest.h>

#include <limits>

#include "support.hpp"

using sup::report_kind;
using sup::restart_type;
using sup::strategy;

namespace {

// Makes `child` exit with `reason` and returns once the supervisor reacted:
// either a restart (child_started with a new process) or nothing, judged by a
// follow-up request that is queued behind the exit.
caf::actor exit_child(test::fixture& f, const caf::actor& child, caf::error reason) {
  f.self->send(child, test::quit_atom::value, std::move(reason));
  f.await_exit(child);
  return child;
}

} // namespace

TEST_CASE("permanent child is restarted after a normal exit") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config("perm", strategy::one_for_one,
                            {test::worker_spec("p", restart_type::permanent)}, 5));
  auto old = f.child(s, "p");
  exit_child(f, old, caf::exit_reason::normal);
  REQUIRE(reports.await(report_kind::restarting, "perm", "p"));
  auto started = reports.await(report_kind::child_started, "perm", "p");
  REQUIRE(started);
  CHECK(started->child != old.address());
  CHECK(f.alive(f.child(s, "p")));
}

TEST_CASE("transient child is not restarted after normal, shutdown or {shutdown, _}") {
  test::fixture f;
  caf::error reason;
  SUBCASE("normal") {
    reason = caf::exit_reason::normal;
  }
  SUBCASE("shutdown") {
    reason = caf::exit_reason::user_shutdown;
  }
  SUBCASE("{shutdown, term}") {
    reason = sup::shutdown_reason("done");
  }
  auto s = f.start(f.config("trans", strategy::one_for_one,
                            {test::worker_spec("t", restart_type::transient)}, 5));
  test::report_listener reports{f.sys};
  exit_child(f, f.child(s, "t"), reason);
  CHECK(f.wait_children(s, [](auto& kids) {
    return kids.size() == 1 && kids[0].status == sup::child_status::undefined && !kids[0].child;
  }));
  auto all = reports.drain();
  CHECK(std::none_of(all.begin(), all.end(),
                     [](auto& r) { return r.kind == report_kind::restarting; }));
}

TEST_CASE("transient child is restarted after an abnormal exit, an exception included") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config("trans_ab", strategy::one_for_one,
                            {test::worker_spec("t", restart_type::transient)}, 5));
  auto old = f.child(s, "t");
  f.self->send(old, test::crash_atom::value); // throws in its handler
  auto term = reports.await(report_kind::child_terminated, "trans_ab", "t");
  REQUIRE(term);
  CHECK(term->reason == caf::sec::runtime_error);
  REQUIRE(reports.await(report_kind::child_started, "trans_ab", "t"));
  auto now = f.child(s, "t");
  CHECK(now);
  CHECK(now != old);
}

TEST_CASE("temporary child is never restarted and its spec is dropped") {
  test::fixture f;
  test::report_listener reports{f.sys};
  caf::error reason;
  bool abnormal = false;
  SUBCASE("normal exit") {
    reason = caf::exit_reason::normal;
  }
  SUBCASE("abnormal exit") {
    reason = caf::make_error(caf::sec::runtime_error, "bad");
    abnormal = true;
  }
  auto s = f.start(f.config("temp", strategy::one_for_one,
                            {test::worker_spec("tmp", restart_type::temporary),
                             test::worker_spec("keep", restart_type::permanent)},
                            5));
  exit_child(f, f.child(s, "tmp"), reason);
  CHECK(f.wait_children(s, [](auto& kids) { return kids.size() == 1 && kids[0].id == "keep"; }));
  auto all = reports.drain();
  auto restarted = std::count_if(all.begin(), all.end(),
                                 [](auto& r) { return r.kind == report_kind::restarting; });
  CHECK(restarted == 0);
  auto terminated = std::count_if(all.begin(), all.end(), [](auto& r) {
    return r.kind == report_kind::child_terminated && r.child_id == "tmp";
  });
  CHECK(terminated == (abnormal ? 1 : 0));
}

TEST_CASE("one_for_one restarts only the dead child") {
  test::fixture f;
  auto s = f.start(f.config("ofo", strategy::one_for_one,
                            {test::worker_spec("a", restart_type::permanent),
                             test::worker_spec("b", restart_type::permanent),
                             test::worker_spec("c", restart_type::permanent)},
                            5));
  test::report_listener reports{f.sys}; // from here on: restarts only
  auto a = f.child(s, "a"), b = f.child(s, "b"), c = f.child(s, "c");
  f.self->send(b, test::crash_atom::value);
  REQUIRE(reports.await(report_kind::child_started, "ofo", "b"));
  CHECK(f.child(s, "a") == a);
  CHECK(f.child(s, "c") == c);
  CHECK(f.child(s, "b") != b);
}

TEST_CASE("one_for_all stops the others in reverse order and restarts all in order") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config("ofa", strategy::one_for_all,
                            {test::worker_spec("a", restart_type::permanent, log),
                             test::worker_spec("b", restart_type::permanent, log),
                             test::worker_spec("c", restart_type::permanent, log),
                             test::worker_spec("d", restart_type::permanent, log)},
                            5));
  auto before = f.children(s);
  f.self->send(f.child(s, "b"), test::crash_atom::value);
  REQUIRE(log->wait_count("start:d", 2));
  auto events = log->snapshot();
  std::vector<std::string> after_start(events.begin() + 4, events.end());
  // b died by itself; the others stop last-started first, then all start again in order.
  CHECK(after_start == std::vector<std::string>{"stop:b", "stop:d", "stop:c", "stop:a", "start:a",
                                                "start:b", "start:c", "start:d"});
  auto now = f.children(s);
  REQUIRE(now.size() == 4);
  for (size_t i = 0; i < 4; ++i)
    CHECK(now[i].child != before[i].child);
}

TEST_CASE("one_for_all drops a temporary sibling instead of restarting it") {
  test::fixture f;
  auto s = f.start(f.config("ofa_tmp", strategy::one_for_all,
                            {test::worker_spec("perm", restart_type::permanent),
                             test::worker_spec("tmp", restart_type::temporary)},
                            5));
  test::report_listener reports{f.sys};
  f.self->send(f.child(s, "perm"), test::crash_atom::value);
  REQUIRE(reports.await(report_kind::child_started, "ofa_tmp", "perm"));
  auto kids = f.children(s);
  REQUIRE(kids.size() == 1);
  CHECK(kids[0].id == "perm");
}

TEST_CASE("rest_for_one restarts the dead child and those started after it") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config("rfo", strategy::rest_for_one,
                            {test::worker_spec("a", restart_type::permanent, log),
                             test::worker_spec("b", restart_type::permanent, log),
                             test::worker_spec("c", restart_type::permanent, log),
                             test::worker_spec("d", restart_type::permanent, log)},
                            5));
  auto a = f.child(s, "a");
  f.self->send(f.child(s, "b"), test::crash_atom::value);
  REQUIRE(log->wait_count("start:d", 2));
  auto events = log->snapshot();
  std::vector<std::string> after_start(events.begin() + 4, events.end());
  CHECK(after_start ==
        std::vector<std::string>{"stop:b", "stop:d", "stop:c", "start:b", "start:c", "start:d"});
  CHECK(f.child(s, "a") == a);
  CHECK(log->count("stop:a") == 0);
}

namespace {

// Crashes `id` intensity+1 times in a row (waiting for each restart) and
// checks that the supervisor then gave up with a shutdown reason, stopping
// the others in reverse start order.
void check_escalation(strategy strat) {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config("esc", strat,
                            {test::worker_spec("a", restart_type::permanent, log),
                             test::worker_spec("b", restart_type::permanent, log),
                             test::worker_spec("c", restart_type::permanent, log)},
                            /*intensity=*/2, /*period=*/60000ms));
  test::report_listener reports{f.sys};
  for (int i = 0; i < 2; ++i) {
    f.self->send(f.child(s, "b"), test::crash_atom::value);
    REQUIRE(reports.await(report_kind::child_started, "esc", "b"));
  }
  f.self->send(f.child(s, "b"), test::crash_atom::value);
  auto reason = f.await_exit(s);
  REQUIRE(reason);
  CHECK(sup::is_shutdown_exit(*reason));
  CHECK(f.sys.render(*reason).find("reached_max_restart_intensity") != std::string::npos);
  REQUIRE(reports.await(report_kind::max_intensity_reached, "esc", "b"));
  // After the third crash: a and c (still running) stop, c first.
  auto events = log->snapshot();
  REQUIRE(events.size() >= 2);
  CHECK(events[events.size() - 2] == "stop:c");
  CHECK(events[events.size() - 1] == "stop:a");
}

} // namespace

TEST_CASE("one_for_one gives up after more restarts than intensity within period") {
  check_escalation(strategy::one_for_one);
}

TEST_CASE("one_for_all escalates when restart intensity is reached") {
  check_escalation(strategy::one_for_all);
}

TEST_CASE("rest_for_one escalates when restart intensity is reached") {
  check_escalation(strategy::rest_for_one);
}

TEST_CASE("restarts older than the period do not count against intensity") {
  test::fixture f;
  auto s = f.start(f.config("window", strategy::one_for_one,
                            {test::worker_spec("w", restart_type::permanent)},
                            /*intensity=*/1, /*period=*/100ms));
  test::report_listener reports{f.sys};
  for (int i = 0; i < 3; ++i) {
    auto old = f.child(s, "w");
    f.self->send(old, test::crash_atom::value);
    REQUIRE(reports.await(report_kind::child_started, "window", "w"));
    // Let the previous restart leave the 100 ms window: wait on the clock.
    auto until = std::chrono::steady_clock::now() + 150ms;
    f.self->receive(caf::after(std::chrono::duration_cast<std::chrono::milliseconds>(
                        until - std::chrono::steady_clock::now())) >>
                    [] {});
  }
  CHECK(f.alive(f.child(s, "w")));
}

TEST_CASE("a supervisor's give-up is its parent's child exit: the parent restarts it") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto inner = f.config("inner_esc", strategy::one_for_one,
                        {test::worker_spec("w", restart_type::permanent)}, /*intensity=*/0);
  auto outer = f.start(
      f.config("outer_esc", strategy::one_for_one, {sup::supervisor_child("inner", inner)}, 5));
  auto inner_pid = f.child(outer, "inner");
  auto w = f.child(inner_pid, "w");
  f.self->send(w, test::crash_atom::value);
  REQUIRE(reports.await(report_kind::max_intensity_reached, "inner_esc", "w"));
  auto term = reports.await(report_kind::child_terminated, "outer_esc", "inner");
  REQUIRE(term);
  CHECK(sup::is_shutdown_exit(term->reason));
  REQUIRE(reports.await(report_kind::child_started, "outer_esc", "inner"));
  auto again = f.child(outer, "inner");
  CHECK(again != inner_pid);
  CHECK(f.alive(f.child(again, "w")));
}

TEST_CASE("a transient supervisor that gives up is not restarted by its parent") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto inner = f.config("inner_tr", strategy::one_for_one,
                        {test::worker_spec("w", restart_type::permanent)}, /*intensity=*/0);
  auto outer =
      f.start(f.config("outer_tr", strategy::one_for_one,
                       {sup::supervisor_child("inner", inner, restart_type::transient)}, 5));
  auto inner_pid = f.child(outer, "inner");
  f.self->send(f.child(inner_pid, "w"), test::crash_atom::value);
  REQUIRE(f.await_exit(inner_pid));
  auto kids = f.children(outer);
  REQUIRE(kids.size() == 1);
  CHECK(kids[0].status == sup::child_status::undefined);
}

TEST_CASE("a failed restart is retried through the mailbox and counts against intensity") {
  test::fixture f;
  test::report_listener reports{f.sys};
  // Start 1 succeeds, starts 2 and 3 fail, start 4 succeeds.
  auto calls = std::make_shared<std::atomic<int>>(0);
  sup::child_spec flaky;
  flaky.id = "flaky";
  flaky.start = [calls](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    auto n = ++*calls;
    if (n == 2 || n == 3)
      return caf::make_error(caf::sec::runtime_error, "not yet");
    return sup::start_result{ctx.self->spawn(test::worker, test::worker_opts{"flaky"})};
  };
  SUBCASE("within intensity the retry succeeds") {
    auto s = f.start(f.config("retry", strategy::one_for_one, {flaky}, /*intensity=*/5));
    f.self->send(f.child(s, "flaky"), test::crash_atom::value);
    REQUIRE(reports.await(report_kind::start_error, "retry", "flaky"));
    REQUIRE(reports.await(report_kind::start_error, "retry", "flaky"));
    REQUIRE(reports.await(report_kind::child_started, "retry", "flaky"));
    CHECK(*calls == 4);
    CHECK(f.alive(f.child(s, "flaky")));
  }
  SUBCASE("the retries exhaust intensity and the supervisor gives up") {
    auto s = f.start(f.config("retry_out", strategy::one_for_one, {flaky}, /*intensity=*/2));
    f.self->send(f.child(s, "flaky"), test::crash_atom::value);
    auto reason = f.await_exit(s);
    REQUIRE(reason);
    CHECK(sup::is_shutdown_exit(*reason));
    CHECK(*calls == 3); // restart 1 and retry 2 failed; retry 3 is over intensity
  }
}

TEST_CASE("a child marked restarting shows so in which_children and count_children") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto gate = std::make_shared<std::atomic<bool>>(false);
  auto first = std::make_shared<std::atomic<bool>>(true);
  sup::child_spec gated;
  gated.id = "gated";
  gated.start = [gate, first](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    if (!first->exchange(false) && !*gate)
      return caf::make_error(caf::sec::runtime_error, "gate closed");
    return sup::start_result{ctx.self->spawn(test::worker, test::worker_opts{"gated"})};
  };
  // The retries spin through the mailbox until the gate opens: no give-up here.
  auto s = f.start(
      f.config("gated_sup", strategy::one_for_one, {gated}, std::numeric_limits<int>::max()));
  f.self->send(f.child(s, "gated"), test::crash_atom::value);
  REQUIRE(reports.await(report_kind::start_error, "gated_sup", "gated"));
  CHECK(f.wait_children(s, [](auto& kids) {
    return kids.size() == 1 && kids[0].status == sup::child_status::restarting;
  }));
  auto del = sup::delete_child(f.sys, s, "gated");
  CHECK(del == sup::sup_errc::restarting);
  *gate = true;
  REQUIRE(reports.await(report_kind::child_started, "gated_sup", "gated"));
}
