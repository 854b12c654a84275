// Stopping: reverse start order, shutdown times, brutal_kill, infinity
// (supervisor_SUITE: sup_stop_infinity, sup_stop_timeout, sup_stop_brutal_kill,
// simple_one_for_one_shutdown).
#include <doctest/doctest.h>

#include "support.hpp"

using sup::report_kind;
using sup::restart_type;
using sup::shutdown_spec;
using sup::strategy;

namespace {

sup::child_spec stubborn(const std::string& id, std::shared_ptr<test::event_log> log,
                         test::on_shutdown how, std::chrono::milliseconds delay, shutdown_spec sd) {
  sup::child_spec spec;
  spec.id = id;
  spec.start = test::worker_start(test::worker_opts{id, std::move(log), how, delay});
  spec.shutdown = sd;
  return spec;
}

} // namespace

TEST_CASE("a supervisor stops its children in reverse start order") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config("rev", strategy::one_for_one,
                            {test::worker_spec("a", restart_type::permanent, log),
                             test::worker_spec("b", restart_type::permanent, log),
                             test::worker_spec("c", restart_type::permanent, log)}));
  auto reason = sup::stop_supervisor(f.sys, s);
  CHECK(reason == caf::exit_reason::user_shutdown);
  CHECK(log->snapshot() ==
        std::vector<std::string>{"start:a", "start:b", "start:c", "stop:c", "stop:b", "stop:a"});
}

TEST_CASE("an orderly stop reports no errors") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config("quiet", strategy::one_for_one,
                            {test::worker_spec("a", restart_type::permanent),
                             test::worker_spec("b", restart_type::transient),
                             test::worker_spec("c", restart_type::temporary)}));
  sup::stop_supervisor(f.sys, s);
  for (auto& r : reports.drain()) {
    CHECK(r.kind != report_kind::shutdown_error);
    CHECK(r.kind != report_kind::child_terminated);
    CHECK(r.kind != report_kind::restarting);
  }
}

TEST_CASE("shutdown infinity waits for a child however long it takes to stop") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config(
      "inf", strategy::one_for_one,
      {stubborn("slow", log, test::on_shutdown::delay, 300ms, shutdown_spec::infinity())}));
  auto slow = f.child(s, "slow");
  f.self->monitor(slow);
  auto t0 = std::chrono::steady_clock::now();
  sup::stop_supervisor(f.sys, s);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(elapsed >= 300ms);
  auto child_reason = f.await_exit(slow);
  REQUIRE(child_reason);
  CHECK(*child_reason == caf::exit_reason::user_shutdown); // it was asked, not killed
  for (auto& r : reports.drain())
    CHECK(r.kind != report_kind::shutdown_error);
}

TEST_CASE("a child that outlives its shutdown timeout is killed and reported") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config(
      "tmo", strategy::one_for_one,
      {stubborn("deaf", log, test::on_shutdown::ignore, 0ms, shutdown_spec::after(200ms))}));
  auto deaf = f.child(s, "deaf");
  f.self->monitor(deaf);
  auto t0 = std::chrono::steady_clock::now();
  sup::stop_supervisor(f.sys, s);
  CHECK(std::chrono::steady_clock::now() - t0 >= 200ms);
  auto child_reason = f.await_exit(deaf);
  REQUIRE(child_reason);
  CHECK(*child_reason == caf::exit_reason::kill);
  auto err = reports.await(report_kind::shutdown_error, "tmo", "deaf");
  REQUIRE(err);
  CHECK(err->reason == caf::exit_reason::kill);
}

TEST_CASE("brutal_kill ends even a child that traps exits, without error reports") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config(
      "brutal", strategy::one_for_one,
      {stubborn("deaf", log, test::on_shutdown::ignore, 0ms, shutdown_spec::brutal_kill())}));
  auto deaf = f.child(s, "deaf");
  f.self->monitor(deaf);
  auto t0 = std::chrono::steady_clock::now();
  sup::stop_supervisor(f.sys, s);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s); // never waited for a timeout
  auto child_reason = f.await_exit(deaf);
  REQUIRE(child_reason);
  CHECK(*child_reason == caf::exit_reason::kill);
  for (auto& r : reports.drain())
    CHECK(r.kind != report_kind::shutdown_error);
}

TEST_CASE("terminate_child applies the child's shutdown spec too") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config(
      "term_tmo", strategy::one_for_one,
      {stubborn("deaf", nullptr, test::on_shutdown::ignore, 0ms, shutdown_spec::after(100ms))}));
  CHECK_FALSE(sup::terminate_child(f.sys, s, "deaf"));
  REQUIRE(reports.await(report_kind::shutdown_error, "term_tmo", "deaf"));
  auto kids = f.children(s);
  REQUIRE(kids.size() == 1);
  CHECK(kids[0].status == sup::child_status::undefined);
}

TEST_CASE("simple_one_for_one children stop in parallel under one timer") {
  test::fixture f;
  test::report_listener reports{f.sys};
  // 20 children that ignore shutdown, 300 ms each: one after the other that
  // would take 6 s; in parallel it takes about 300 ms.
  sup::child_spec spec;
  spec.id = "ignored";
  spec.restart = restart_type::temporary;
  spec.shutdown = shutdown_spec::after(300ms);
  spec.start = test::worker_start(test::worker_opts{"deaf", nullptr, test::on_shutdown::ignore});
  auto s = f.start(f.config("sofo_stop", strategy::simple_one_for_one, {spec}));
  std::vector<caf::actor> kids;
  for (int i = 0; i < 20; ++i) {
    auto r = sup::start_child(f.sys, s, caf::message{});
    REQUIRE(r);
    kids.push_back(r->child);
  }
  auto t0 = std::chrono::steady_clock::now();
  sup::stop_supervisor(f.sys, s);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(elapsed >= 300ms);
  CHECK(elapsed < 3s);
  for (auto& k : kids) {
    auto reason = f.await_exit(k);
    REQUIRE(reason);
    CHECK(*reason == caf::exit_reason::kill);
  }
  // One aggregated report for the 20 kills, as OTP does.
  auto err = reports.await(report_kind::shutdown_error, "sofo_stop");
  REQUIRE(err);
  CHECK(err->count == 20);
}

TEST_CASE("simple_one_for_one children that comply stop with shutdown, no reports") {
  test::fixture f;
  test::report_listener reports{f.sys};
  sup::child_spec spec;
  spec.id = "w";
  spec.restart = restart_type::temporary;
  spec.start = test::worker_start(test::worker_opts{"w"});
  auto s = f.start(f.config("sofo_ok", strategy::simple_one_for_one, {spec}));
  std::vector<caf::actor> kids;
  for (int i = 0; i < 50; ++i)
    kids.push_back(sup::start_child(f.sys, s, caf::message{})->child);
  sup::stop_supervisor(f.sys, s);
  for (auto& k : kids)
    CHECK(f.await_exit(k) == caf::error{caf::exit_reason::user_shutdown});
  for (auto& r : reports.drain())
    CHECK(r.kind != report_kind::shutdown_error);
}
