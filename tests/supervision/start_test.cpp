// Starting a supervisor: order, ignore, and failure during start
// (supervisor_SUITE: sup_start_normal, sup_start_ignore_*, sup_start_fail, ...).
#include <doctest/doctest.h>

#include "support.hpp"

using sup::restart_type;
using sup::strategy;

TEST_CASE("children start in spec order and all run when start returns") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto s = f.start(f.config("ordered", strategy::one_for_one,
                            {test::worker_spec("a", restart_type::permanent, log),
                             test::worker_spec("b", restart_type::permanent, log),
                             test::worker_spec("c", restart_type::permanent, log)}));
  // start_supervisor returned, so every child's init has already run.
  CHECK(log->snapshot() == std::vector<std::string>{"start:a", "start:b", "start:c"});
  auto kids = f.children(s);
  REQUIRE(kids.size() == 3);
  for (auto& k : kids) {
    CHECK(k.status == sup::child_status::running);
    CHECK(f.alive(k.child));
  }
}

TEST_CASE("a failing start function stops the children already started and fails the start") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto c_starts = std::make_shared<std::atomic<int>>(0);
  sup::child_spec bad;
  bad.id = "b";
  bad.start = [](sup::start_context&) -> caf::expected<sup::start_result> {
    return caf::make_error(caf::sec::runtime_error, "no resources");
  };
  auto r = sup::start_supervisor(
      f.sys, f.config("failing", strategy::one_for_one,
                      {test::worker_spec("a", restart_type::permanent, log), bad,
                       test::worker_spec("c", restart_type::permanent, log, c_starts)}));
  REQUIRE_FALSE(r);
  CHECK(r.error() == sup::sup_errc::shutdown); // {shutdown, {failed_to_start_child, b, ...}}
  auto ctx = r.error().context();
  REQUIRE(ctx.match_elements<std::string, std::string, caf::error>());
  CHECK(ctx.get_as<std::string>(0) == "failed_to_start_child");
  CHECK(ctx.get_as<std::string>(1) == "b");
  CHECK(ctx.get_as<caf::error>(2) == caf::sec::runtime_error);
  // "a" is stopped before the start fails, but its exit (and so its log line)
  // completes on its own thread: wait for it instead of reading at once.
  CHECK(log->wait_count("stop:a", 1));
  CHECK(log->snapshot() == std::vector<std::string>{"start:a", "stop:a"});
  CHECK(*c_starts == 0);
}

TEST_CASE("a child whose init throws is a start failure, not a running child") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  sup::child_spec bad;
  bad.id = "throws";
  bad.start = test::worker_start(
      test::worker_opts{"throws", nullptr, test::on_shutdown::comply, 0ms, /*throw_in_init=*/true});
  auto r = sup::start_supervisor(
      f.sys, f.config("init_throws", strategy::one_for_one,
                      {test::worker_spec("a", restart_type::permanent, log), bad}));
  REQUIRE_FALSE(r);
  CHECK(r.error() == sup::sup_errc::shutdown);
  CHECK(log->wait_count("stop:a", 1));
}

TEST_CASE("a start function that throws is reported as a start error") {
  test::fixture f;
  sup::child_spec bad;
  bad.id = "boom";
  bad.start = [](sup::start_context&) -> caf::expected<sup::start_result> {
    throw std::logic_error("boom");
  };
  auto r = sup::start_supervisor(f.sys, f.config("throwing_start", strategy::one_for_one, {bad}));
  REQUIRE_FALSE(r);
  // {shutdown, {failed_to_start_child, Id, Reason}}
  auto ctx = r.error().context();
  REQUIRE(ctx.match_elements<std::string, std::string, caf::error>());
  CHECK(ctx.get_as<std::string>(1) == "boom");
  CHECK(ctx.get_as<caf::error>(2) == sup::sup_errc::start_exception);
}

TEST_CASE("ignore keeps a permanent child's spec without a process and drops a temporary one") {
  test::fixture f;
  auto ignore = [](const std::string& id, restart_type rt) {
    sup::child_spec spec;
    spec.id = id;
    spec.restart = rt;
    spec.start = [](sup::start_context&) -> caf::expected<sup::start_result> {
      return sup::start_result::ignore();
    };
    return spec;
  };
  auto s = f.start(
      f.config("ignoring", strategy::one_for_one,
               {ignore("kept", restart_type::permanent), ignore("dropped", restart_type::temporary),
                test::worker_spec("w", restart_type::permanent)}));
  auto kids = f.children(s);
  REQUIRE(kids.size() == 2);
  CHECK(kids[0].id == "kept");
  CHECK(kids[0].status == sup::child_status::undefined);
  CHECK_FALSE(kids[0].child);
  CHECK(kids[1].id == "w");
  auto counts = sup::count_children(f.sys, s);
  REQUIRE(counts);
  CHECK(counts->specs == 2);
  CHECK(counts->active == 1);
}

TEST_CASE("bad flags and child specs are refused with bad_start_spec") {
  test::fixture f;
  auto good = test::worker_spec("a", restart_type::permanent);
  SUBCASE("duplicate ids") {
    auto r = sup::start_supervisor(f.sys, f.config("dup", strategy::one_for_one, {good, good}));
    REQUIRE_FALSE(r);
    CHECK(r.error() == sup::sup_errc::bad_start_spec);
  }
  SUBCASE("simple_one_for_one needs exactly one spec") {
    auto r = sup::start_supervisor(
        f.sys, f.config("sofo2", strategy::simple_one_for_one,
                        {good, test::worker_spec("b", restart_type::permanent)}));
    REQUIRE_FALSE(r);
    CHECK(r.error() == sup::sup_errc::bad_start_spec);
  }
  SUBCASE("negative intensity") {
    auto r = sup::start_supervisor(f.sys, f.config("neg", strategy::one_for_one, {good}, -1));
    REQUIRE_FALSE(r);
    CHECK(r.error() == sup::sup_errc::bad_start_spec);
  }
  SUBCASE("a spec without a start function") {
    sup::child_spec none;
    none.id = "none";
    auto r = sup::start_supervisor(f.sys, f.config("nostart", strategy::one_for_one, {none}));
    REQUIRE_FALSE(r);
    CHECK(r.error() == sup::sup_errc::bad_start_spec);
  }
}

TEST_CASE("a nested supervisor counts as started only once its own children run") {
  test::fixture f;
  auto log = std::make_shared<test::event_log>();
  auto inner = f.config("inner", strategy::one_for_one,
                        {test::worker_spec("x", restart_type::permanent, log),
                         test::worker_spec("y", restart_type::permanent, log)});
  auto outer = f.start(f.config("outer", strategy::one_for_one,
                                {sup::supervisor_child("inner", inner),
                                 test::worker_spec("after", restart_type::permanent, log)}));
  CHECK(log->snapshot() == std::vector<std::string>{"start:x", "start:y", "start:after"});
  auto kids = f.children(outer);
  REQUIRE(kids.size() == 2);
  CHECK(kids[0].type == sup::child_type::supervisor);
  auto spec = sup::get_childspec(f.sys, outer, "inner");
  REQUIRE(spec);
  CHECK(spec->effective_shutdown().mode == sup::shutdown_spec::kind::infinity);
}

TEST_CASE("a nested supervisor that fails to start fails its parent's start") {
  test::fixture f;
  sup::child_spec bad;
  bad.id = "bad";
  bad.start = [](sup::start_context&) -> caf::expected<sup::start_result> {
    return caf::make_error(caf::sec::runtime_error);
  };
  auto inner = f.config("inner_failing", strategy::one_for_one, {bad});
  auto r = sup::start_supervisor(f.sys, f.config("outer_failing", strategy::one_for_one,
                                                 {sup::supervisor_child("inner", inner)}));
  REQUIRE_FALSE(r);
  CHECK(r.error() == sup::sup_errc::shutdown);
}
