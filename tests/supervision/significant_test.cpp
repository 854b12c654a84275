// Significant children and auto_shutdown (supervisor_SUITE: significant_*,
// auto_shutdown_* cases).
#include <doctest/doctest.h>

#include "support.hpp"

using sup::auto_shutdown;
using sup::restart_type;
using sup::strategy;
using sup::sup_errc;

namespace {

sup::child_spec significant(const std::string& id, restart_type rt) {
  auto spec = test::worker_spec(id, rt);
  spec.significant = true;
  return spec;
}

sup::supervisor_config with_auto(test::fixture& f, const std::string& name, auto_shutdown as,
                                 std::vector<sup::child_spec> children) {
  auto c = f.config(name, strategy::one_for_one, std::move(children), 5);
  c.flags.auto_shutdown = as;
  return c;
}

} // namespace

TEST_CASE("any_significant: a significant transient child's normal exit stops the supervisor") {
  test::fixture f;
  auto s = f.start(with_auto(f, "any", auto_shutdown::any_significant,
                             {significant("sig", restart_type::transient),
                              test::worker_spec("other", restart_type::permanent)}));
  auto other = f.child(s, "other");
  f.self->send(f.child(s, "sig"), test::quit_atom::value, caf::error{});
  auto reason = f.await_exit(s);
  REQUIRE(reason);
  CHECK(sup::is_shutdown_exit(*reason));
  CHECK(f.await_exit(other));
}

TEST_CASE("any_significant: a significant transient child's crash is restarted, not a shutdown") {
  test::fixture f;
  auto s = f.start(with_auto(f, "any_crash", auto_shutdown::any_significant,
                             {significant("sig", restart_type::transient)}));
  test::report_listener reports{f.sys};
  f.self->send(f.child(s, "sig"), test::crash_atom::value);
  REQUIRE(reports.await(sup::report_kind::child_started, "any_crash", "sig"));
  CHECK(sup::count_children(f.sys, s));
}

TEST_CASE("any_significant: a significant temporary child ending for any reason stops it") {
  test::fixture f;
  auto s = f.start(with_auto(f, "any_tmp", auto_shutdown::any_significant,
                             {significant("sig", restart_type::temporary)}));
  f.self->send(f.child(s, "sig"), test::crash_atom::value);
  auto reason = f.await_exit(s);
  REQUIRE(reason);
  CHECK(sup::is_shutdown_exit(*reason));
}

TEST_CASE("all_significant: the supervisor stops only when the last significant child ends") {
  test::fixture f;
  auto s = f.start(with_auto(f, "all", auto_shutdown::all_significant,
                             {significant("s1", restart_type::transient),
                              significant("s2", restart_type::temporary),
                              test::worker_spec("plain", restart_type::permanent)}));
  auto s1 = f.child(s, "s1");
  auto s2 = f.child(s, "s2");
  f.self->send(s1, test::quit_atom::value, caf::error{});
  REQUIRE(f.await_exit(s1));
  // Still there once s1's end is handled: s2 runs.
  CHECK(f.wait_children(s, [](auto& kids) {
    return std::count_if(kids.begin(), kids.end(),
                         [](auto& k) { return k.status == sup::child_status::running; }) == 2;
  }));
  f.self->send(s2, test::quit_atom::value, caf::error{});
  auto reason = f.await_exit(s);
  REQUIRE(reason);
  CHECK(sup::is_shutdown_exit(*reason));
}

TEST_CASE("terminate_child of a significant child does not trigger auto_shutdown") {
  test::fixture f;
  auto s = f.start(with_auto(f, "no_auto", auto_shutdown::any_significant,
                             {significant("sig", restart_type::transient)}));
  CHECK_FALSE(sup::terminate_child(f.sys, s, "sig"));
  CHECK(sup::count_children(f.sys, s));
}

TEST_CASE("auto_shutdown never: significant children are refused") {
  test::fixture f;
  auto r = sup::start_supervisor(f.sys, with_auto(f, "never", auto_shutdown::never,
                                                  {significant("sig", restart_type::transient)}));
  REQUIRE_FALSE(r);
  CHECK(r.error() == sup_errc::bad_start_spec);
}

TEST_CASE("a permanent child cannot be significant") {
  test::fixture f;
  auto r = sup::start_supervisor(f.sys, with_auto(f, "perm_sig", auto_shutdown::any_significant,
                                                  {significant("sig", restart_type::permanent)}));
  REQUIRE_FALSE(r);
  CHECK(r.error() == sup_errc::bad_start_spec);
}

TEST_CASE("simple_one_for_one does not allow auto_shutdown") {
  test::fixture f;
  auto c = f.config("sofo_auto", strategy::simple_one_for_one,
                    {test::worker_spec("w", restart_type::temporary)});
  c.flags.auto_shutdown = auto_shutdown::any_significant;
  auto r = sup::start_supervisor(f.sys, c);
  REQUIRE_FALSE(r);
  CHECK(r.error() == sup_errc::bad_start_spec);
}
