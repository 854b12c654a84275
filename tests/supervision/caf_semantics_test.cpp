// What CAF 0.17 makes hard and the supervisor must still get right
// (caf-0.17.md §3.2, §3.4): kills from outside, deaths of every kind, and a
// supervisor's own death taking its children along.
#include <doctest/doctest.h>

#include "support.hpp"

using sup::report_kind;
using sup::restart_type;
using sup::strategy;

TEST_CASE("a child killed from outside never takes its supervisor down") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config("victim_sup", strategy::one_for_one,
                            {test::worker_spec("w", restart_type::permanent)}, 5));
  auto w = f.child(s, "w");
  caf::anon_send_exit(w, caf::exit_reason::kill);
  auto term = reports.await(report_kind::child_terminated, "victim_sup", "w");
  REQUIRE(term);
  CHECK(term->reason == caf::exit_reason::kill); // it saw the death, whatever the reason
  REQUIRE(reports.await(report_kind::child_started, "victim_sup", "w"));
  auto counts = sup::count_children(f.sys, s); // the supervisor still answers
  REQUIRE(counts);
  CHECK(counts->active == 1);
}

TEST_CASE("the supervisor sees every kind of child death") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config("sees_all", strategy::one_for_one,
                            {test::worker_spec("w", restart_type::permanent)}, 10));
  std::vector<caf::error> reasons{
      caf::make_error(caf::sec::runtime_error), caf::make_error(caf::exit_reason::user_shutdown),
      caf::make_error(caf::exit_reason::kill), caf::make_error(caf::exit_reason::unknown)};
  for (auto& reason : reasons) {
    auto w = f.child(s, "w");
    REQUIRE(w);
    if (reason == caf::exit_reason::kill)
      caf::anon_send_exit(w, caf::exit_reason::kill);
    else
      f.self->send(w, test::quit_atom::value, reason);
    auto term = reports.await(report_kind::child_terminated, "sees_all", "w");
    REQUIRE(term);
    CHECK(term->reason == reason);
    REQUIRE(reports.await(report_kind::child_started, "sees_all", "w"));
  }
  // And an exception thrown in a handler is an abnormal exit.
  f.self->send(f.child(s, "w"), test::crash_atom::value);
  auto term = reports.await(report_kind::child_terminated, "sees_all", "w");
  REQUIRE(term);
  CHECK(term->reason == caf::sec::runtime_error);
  CHECK_FALSE(sup::is_normal_exit(term->reason));
}

TEST_CASE("a killed supervisor takes its children down") {
  test::fixture f;
  auto s = f.start(f.config("doomed", strategy::one_for_one,
                            {test::worker_spec("a", restart_type::permanent),
                             test::worker_spec("b", restart_type::permanent)}));
  auto a = f.child(s, "a"), b = f.child(s, "b");
  caf::anon_send_exit(s, caf::exit_reason::kill);
  for (auto& child : {a, b}) {
    auto reason = f.await_exit(child);
    REQUIRE(reason);
    // OTP hands linked processes `killed`, a trappable reason.
    CHECK(*reason == sup::sup_errc::killed);
  }
}

TEST_CASE("a killed supervisor takes its whole subtree down, grandchildren included") {
  test::fixture f;
  auto inner =
      f.config("sub", strategy::one_for_one, {test::worker_spec("leaf", restart_type::permanent)});
  auto top = f.start(f.config("top", strategy::one_for_one, {sup::supervisor_child("sub", inner)}));
  auto sub_pid = f.child(top, "sub");
  auto leaf = f.child(sub_pid, "leaf");
  caf::anon_send_exit(top, caf::exit_reason::kill);
  REQUIRE(f.await_exit(sub_pid));
  REQUIRE(f.await_exit(leaf));
}

TEST_CASE("a supervisor that crashes takes its children down with its reason") {
  test::fixture f;
  auto s = f.start(
      f.config("crashy", strategy::one_for_one, {test::worker_spec("a", restart_type::permanent)}));
  auto a = f.child(s, "a");
  // An exit with a custom reason from a non-parent ends the supervisor in an
  // orderly way: it stops its children first, then exits with that reason.
  auto why = caf::make_error(caf::sec::runtime_error, "parent died");
  f.self->send_exit(s, why);
  auto sreason = f.await_exit(s);
  REQUIRE(sreason);
  CHECK(*sreason == caf::sec::runtime_error);
  auto areason = f.await_exit(a);
  REQUIRE(areason);
  CHECK(*areason == caf::exit_reason::user_shutdown);
}

TEST_CASE("repeated kills of a child are each survived and repaired") {
  test::fixture f;
  auto s = f.start(f.config("monitored", strategy::one_for_one,
                            {test::worker_spec("w", restart_type::permanent)}, 5));
  test::report_listener reports{f.sys};
  for (int i = 0; i < 3; ++i) {
    caf::anon_send_exit(f.child(s, "w"), caf::exit_reason::kill);
    REQUIRE(reports.await(report_kind::child_started, "monitored", "w"));
  }
  CHECK(sup::count_children(f.sys, s));
}

TEST_CASE("every report names its supervisor and child") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto s = f.start(f.config("named", strategy::one_for_one,
                            {test::worker_spec("w", restart_type::permanent)}, 5));
  auto w = f.child(s, "w");
  auto started = reports.await(report_kind::child_started, "named", "w");
  REQUIRE(started);
  CHECK(started->supervisor_addr == s.address());
  CHECK(started->child == w.address());
  CHECK(started->steady_ns > 0);
  CHECK(sup::to_string(*started).find("named") != std::string::npos);
}
