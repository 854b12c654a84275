// The child API and its OTP error results (supervisor_SUITE: child_adm,
// child_adm_simple, count_children, get_childspec, simple_one_for_one).
#include <doctest/doctest.h>

#include "support.hpp"

using sup::report_kind;
using sup::restart_type;
using sup::strategy;
using sup::sup_errc;

TEST_CASE("child_adm: start, terminate, restart and delete a child with OTP's errors") {
  test::fixture f;
  auto s = f.start(f.config("adm", strategy::one_for_one, {}));

  auto started = sup::start_child(f.sys, s, test::worker_spec("c", restart_type::permanent));
  REQUIRE(started);
  REQUIRE(started->child);
  CHECK(f.alive(started->child));

  auto again = sup::start_child(f.sys, s, test::worker_spec("c", restart_type::permanent));
  REQUIRE_FALSE(again);
  CHECK(again.error() == sup_errc::already_started);

  CHECK(sup::delete_child(f.sys, s, "c") == sup_errc::running);
  CHECK(sup::restart_child(f.sys, s, "c").error() == sup_errc::running);

  CHECK_FALSE(sup::terminate_child(f.sys, s, "c"));
  CHECK(f.await_exit(started->child) == caf::error{caf::exit_reason::user_shutdown});
  // A terminated child keeps its spec.
  auto present = sup::start_child(f.sys, s, test::worker_spec("c", restart_type::permanent));
  CHECK(present.error() == sup_errc::already_present);
  CHECK_FALSE(sup::terminate_child(f.sys, s, "c")); // terminating it again is fine

  auto restarted = sup::restart_child(f.sys, s, "c");
  REQUIRE(restarted);
  CHECK(restarted->child != started->child);
  CHECK(f.alive(restarted->child));

  CHECK_FALSE(sup::terminate_child(f.sys, s, "c"));
  CHECK_FALSE(sup::delete_child(f.sys, s, "c"));
  CHECK(f.children(s).empty());

  CHECK(sup::terminate_child(f.sys, s, "c") == sup_errc::not_found);
  CHECK(sup::delete_child(f.sys, s, "c") == sup_errc::not_found);
  CHECK(sup::restart_child(f.sys, s, "c").error() == sup_errc::not_found);
  CHECK(sup::get_childspec(f.sys, s, "c").error() == sup_errc::not_found);
}

TEST_CASE("a terminated temporary child loses its spec") {
  test::fixture f;
  auto s = f.start(f.config("adm_tmp", strategy::one_for_one,
                            {test::worker_spec("t", restart_type::temporary)}));
  CHECK_FALSE(sup::terminate_child(f.sys, s, "t"));
  CHECK(f.children(s).empty());
}

TEST_CASE("start_child returns the start error and keeps no spec") {
  test::fixture f;
  auto s = f.start(f.config("adm_err", strategy::one_for_one, {}));
  sup::child_spec bad;
  bad.id = "bad";
  bad.start = [](sup::start_context&) -> caf::expected<sup::start_result> {
    return caf::make_error(caf::sec::runtime_error, "refused");
  };
  auto r = sup::start_child(f.sys, s, bad);
  REQUIRE_FALSE(r);
  CHECK(r.error() == caf::sec::runtime_error);
  CHECK(f.children(s).empty());
}

TEST_CASE("get_childspec returns the spec the child was started with") {
  test::fixture f;
  auto spec = test::worker_spec("g", restart_type::transient);
  spec.shutdown = sup::shutdown_spec::after(1234ms);
  auto s = f.start(f.config("getspec", strategy::one_for_one, {spec}));
  auto got = sup::get_childspec(f.sys, s, "g");
  REQUIRE(got);
  CHECK(got->id == "g");
  CHECK(got->restart == restart_type::transient);
  CHECK(got->effective_shutdown().timeout == 1234ms);
  CHECK(got->effective_shutdown().mode == sup::shutdown_spec::kind::timeout);
}

TEST_CASE("count_children counts specs, active, supervisors and workers") {
  test::fixture f;
  auto inner = f.config("cnt_inner", strategy::one_for_one, {});
  auto s = f.start(f.config("cnt", strategy::one_for_one,
                            {test::worker_spec("w1", restart_type::permanent),
                             test::worker_spec("w2", restart_type::transient),
                             sup::supervisor_child("s1", inner)}));
  auto c = sup::count_children(f.sys, s);
  REQUIRE(c);
  CHECK(c->specs == 3);
  CHECK(c->active == 3);
  CHECK(c->supervisors == 1);
  CHECK(c->workers == 2);
  CHECK_FALSE(sup::terminate_child(f.sys, s, "w2"));
  c = sup::count_children(f.sys, s);
  CHECK(c->specs == 3);
  CHECK(c->active == 2);
}

TEST_CASE("simple_one_for_one starts children with extra arguments on demand") {
  test::fixture f;
  sup::child_spec spec;
  spec.id = "ignored by simple_one_for_one";
  spec.restart = restart_type::temporary;
  auto seen = std::make_shared<test::event_log>();
  spec.start = [seen](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    auto name =
        ctx.args.match_elements<std::string>() ? ctx.args.get_as<std::string>(0) : std::string{"?"};
    seen->push(name);
    return sup::start_result{ctx.self->spawn(test::worker, test::worker_opts{name})};
  };
  auto s = f.start(f.config("sofo", strategy::simple_one_for_one, {spec}));
  CHECK(f.children(s).empty()); // nothing starts at init
  auto a = sup::start_child(f.sys, s, caf::make_message(std::string{"conn-1"}));
  auto b = sup::start_child(f.sys, s, caf::make_message(std::string{"conn-2"}));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(seen->snapshot() == std::vector<std::string>{"conn-1", "conn-2"});
  auto kids = f.children(s);
  CHECK(kids.size() == 2);
  for (auto& k : kids)
    CHECK(k.id.empty());
  auto c = sup::count_children(f.sys, s);
  CHECK(c->specs == 2);
  CHECK(c->active == 2);
  CHECK(c->workers == 2);
  CHECK(sup::get_childspec(f.sys, s, "x").error() == sup_errc::simple_one_for_one);
}

TEST_CASE("simple_one_for_one: temporary children are dropped when they end, never restarted") {
  test::fixture f;
  test::report_listener reports{f.sys};
  sup::child_spec spec;
  spec.id = "pool";
  spec.restart = restart_type::temporary;
  spec.start = test::worker_start(test::worker_opts{"w"});
  auto s = f.start(f.config("sofo_tmp", strategy::simple_one_for_one, {spec}, 5));
  auto a = sup::start_child(f.sys, s, caf::message{})->child;
  auto b = sup::start_child(f.sys, s, caf::message{})->child;
  f.self->send(a, test::crash_atom::value);
  f.await_exit(a);
  CHECK(f.wait_children(s, [&](auto& kids) { return kids.size() == 1 && kids[0].child == b; }));
  auto all = reports.drain();
  CHECK(std::none_of(all.begin(), all.end(),
                     [](auto& r) { return r.kind == report_kind::restarting; }));
}

TEST_CASE("simple_one_for_one: a permanent child is restarted with its arguments") {
  test::fixture f;
  test::report_listener reports{f.sys};
  auto seen = std::make_shared<test::event_log>();
  sup::child_spec spec;
  spec.id = "pool";
  spec.restart = restart_type::permanent;
  spec.start = [seen](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    seen->push(ctx.args.get_as<std::string>(0));
    return sup::start_result{ctx.self->spawn(test::worker, test::worker_opts{"w"})};
  };
  auto s = f.start(f.config("sofo_perm", strategy::simple_one_for_one, {spec}, 5));
  auto a = sup::start_child(f.sys, s, caf::make_message(std::string{"args-a"}))->child;
  f.self->send(a, test::crash_atom::value);
  REQUIRE(reports.await(report_kind::child_started, "sofo_perm"));
  REQUIRE(reports.await(report_kind::child_started, "sofo_perm"));
  CHECK(seen->snapshot() == std::vector<std::string>{"args-a", "args-a"});
  auto kids = f.children(s);
  REQUIRE(kids.size() == 1);
  CHECK(kids[0].child != a);
}

TEST_CASE("simple_one_for_one: the id-based calls answer simple_one_for_one") {
  test::fixture f;
  sup::child_spec spec;
  spec.id = "pool";
  spec.restart = restart_type::temporary;
  spec.start = test::worker_start(test::worker_opts{"w"});
  auto s = f.start(f.config("sofo_adm", strategy::simple_one_for_one, {spec}));
  auto a = sup::start_child(f.sys, s, caf::message{})->child;
  CHECK(sup::terminate_child(f.sys, s, "pool") == sup_errc::simple_one_for_one);
  CHECK(sup::delete_child(f.sys, s, "pool") == sup_errc::simple_one_for_one);
  CHECK(sup::restart_child(f.sys, s, "pool").error() == sup_errc::simple_one_for_one);
  CHECK(sup::start_child(f.sys, s, test::worker_spec("x", restart_type::temporary)).error() ==
        sup_errc::simple_one_for_one);
  // terminate_child takes the child itself.
  CHECK_FALSE(sup::terminate_child(f.sys, s, a));
  CHECK(f.await_exit(a) == caf::error{caf::exit_reason::user_shutdown});
  CHECK(sup::terminate_child(f.sys, s, a) == sup_errc::not_found);
  CHECK(f.children(s).empty());
}
