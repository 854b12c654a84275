// registry_client: operations that meet a registry restart are retried within their deadline,
// never lost: each one ends in the registry's answer or a clear error.
#include <map>

#include <doctest/doctest.h>

#include "cafmcp/registry/registry_client.hpp"
#include "registry/registry_test_support.hpp"

using namespace cafmcp::registry;
using namespace cafmcp::registry::test;

namespace {

using t_lookup_atom = caf::atom_constant<caf::atom("t_lookup")>;
using t_add_atom = caf::atom_constant<caf::atom("t_add")>;
using t_remove_atom = caf::atom_constant<caf::atom("t_remove")>;
using t_result_atom = caf::atom_constant<caf::atom("t_result")>;
using t_stats_atom = caf::atom_constant<caf::atom("t_stats")>;

struct caller_state {
  static inline const char* name = "test_caller";
  std::unique_ptr<registry_client> client;
};

// A calling actor, as a transport session would be: it starts registry operations on command
// and reports each outcome to `report_to` as (t_result_atom, id, actor) or (t_result_atom, id,
// error). Commands are answered with the number of operations started, so that the test knows
// they are in flight before it changes the registry.
caf::behavior caller(caf::stateful_actor<caller_state>* self, std::shared_ptr<registry_ref> ref,
                     client_policy policy, caf::actor report_to) {
  self->state.client = std::make_unique<registry_client>(self, ref, policy);
  auto report = [self, report_to](const std::string& id, caf::error err) {
    if (err)
      self->send(report_to, t_result_atom::value, id, std::move(err));
    else
      self->send(report_to, t_result_atom::value, id, caf::actor{});
  };
  return {
      [self, report_to](t_lookup_atom, std::vector<std::string>& ids) {
        for (auto& id : ids)
          self->state.client->lookup(id, [self, report_to, id](caf::expected<caf::actor> found) {
            if (found)
              self->send(report_to, t_result_atom::value, id, std::move(*found));
            else
              self->send(report_to, t_result_atom::value, id, std::move(found.error()));
          });
        return ids.size();
      },
      [self, report](t_add_atom, std::string& id, caf::actor& server, std::size_t pool) {
        self->state.client->add(id, server, pool,
                                [report, id](caf::error err) { report(id, err); });
        return std::size_t{1};
      },
      [self, report](t_remove_atom, std::string& id) {
        self->state.client->remove(id, [report, id](caf::error err) { report(id, err); });
        return std::size_t{1};
      },
      [self](t_stats_atom) {
        auto& s = self->state.client->stats();
        return caf::make_message(s.started, s.succeeded, s.failed, s.retried, s.overloaded,
                                 self->state.client->pending());
      },
  };
}

struct outcome {
  std::map<std::string, caf::actor> found;
  std::map<std::string, caf::error> failed;
  std::size_t ok_without_actor = 0; // add/remove successes
  std::size_t total = 0;
  bool timed_out = false;
};

// Collects `n` results; each must arrive within answer_timeout of the previous one.
void collect(caf::scoped_actor& inbox, std::size_t n, outcome& out) {
  for (std::size_t i = 0; i < n && !out.timed_out; ++i)
    inbox->receive(
        [&](t_result_atom, std::string& id, caf::actor& server) {
          ++out.total;
          if (server)
            out.found[id] = server;
          else
            ++out.ok_without_actor;
        },
        [&](t_result_atom, std::string& id, caf::error& err) {
          ++out.total;
          out.failed[id] = err;
        },
        caf::after(answer_timeout) >> [&] { out.timed_out = true; });
}

std::size_t start_lookups(caf::scoped_actor& self, const caf::actor& who,
                          std::vector<std::string> ids) {
  std::size_t started = 0;
  self->request(who, answer_timeout, t_lookup_atom::value, std::move(ids))
      .receive([&](std::size_t n) { started = n; }, [](caf::error&) {});
  return started;
}

struct stats_view {
  std::size_t started = 0, succeeded = 0, failed = 0, retried = 0, overloaded = 0, pending = 0;
};

stats_view stats_of(caf::scoped_actor& self, const caf::actor& who) {
  stats_view v;
  self->request(who, answer_timeout, t_stats_atom::value)
      .receive([&](std::size_t a, std::size_t b, std::size_t c, std::size_t d, std::size_t e,
                   std::size_t f) { v = stats_view{a, b, c, d, e, f}; },
               [](caf::error&) {});
  return v;
}

struct client_fixture : registry_fixture {
  caf::scoped_actor inbox{sys};
  caf::actor reg;
  std::vector<caf::actor> servers;
  std::vector<std::string> ids;

  explicit client_fixture(std::size_t n) {
    reg = spawn_registry();
    servers = spawn_servers(n);
    std::vector<std::pair<std::string, caf::actor>> items;
    for (std::size_t i = 0; i < n; ++i) {
      ids.push_back("session-" + std::to_string(i));
      items.emplace_back(ids.back(), servers[i]);
    }
    auto report = register_all(reg, items);
    REQUIRE(report.ok == n);
  }

  caf::actor spawn_caller(client_policy policy) {
    auto c = sys.spawn(caller, ref, policy, caf::actor_cast<caf::actor>(inbox));
    owned.push_back(c);
    return c;
  }
};

} // namespace

TEST_CASE("client lookups in flight when the registry is killed all succeed after its respawn") {
  client_fixture fx{300};
  client_policy policy;
  policy.deadline = std::chrono::seconds{3};
  auto c = fx.spawn_caller(policy);
  // A burst that races with the kill: some are answered before it, the rest meet it.
  REQUIRE(start_lookups(fx.self, c, fx.ids) == 300u);
  REQUIRE(fx.kill_and_wait(fx.reg));
  // A second burst while no registry exists at all: every one of these needs a retry.
  REQUIRE(start_lookups(fx.self, c, fx.ids) == 300u);
  auto before = stats_of(fx.self, c);
  CHECK(before.retried >= 300u);
  CHECK(before.pending >= 300u);
  auto respawned_at = clock_type::now();
  fx.reg = fx.spawn_registry();
  outcome out;
  collect(fx.inbox, 600, out);
  MESSAGE("all 600 lookups completed " << ms_since(respawned_at) << " ms after the respawn ("
                                       << before.retried << " needed a retry)");
  CHECK(!out.timed_out);
  CHECK(out.total == 600u);
  CHECK(out.failed.empty());
  for (auto& [id, err] : out.failed)
    MESSAGE(id << ": " << fx.sys.render(err));
  CHECK(out.found.size() == 300u);
  for (std::size_t i = 0; i < fx.ids.size(); ++i)
    CHECK(out.found[fx.ids[i]] == fx.servers[i]);
  auto after = stats_of(fx.self, c);
  CHECK(after.succeeded == 600u);
  CHECK(after.pending == 0u);
}

TEST_CASE("client lookups that outlive their deadline fail with registry_unavailable") {
  client_fixture fx{20};
  client_policy policy;
  policy.deadline = std::chrono::milliseconds{60};
  auto c = fx.spawn_caller(policy);
  REQUIRE(fx.kill_and_wait(fx.reg));
  auto start = clock_type::now();
  REQUIRE(start_lookups(fx.self, c, fx.ids) == 20u);
  outcome out;
  collect(fx.inbox, 20, out);
  auto elapsed = ms_since(start);
  REQUIRE(!out.timed_out);
  CHECK(out.failed.size() == 20u);
  for (auto& [id, err] : out.failed) {
    CAPTURE(id);
    CHECK(is(err, registry_errc::registry_unavailable));
  }
  MESSAGE("20 lookups gave up after "
          << elapsed << " ms (deadline 60 ms): " << fx.sys.render(out.failed.begin()->second));
  // They gave up at their deadline, not at some later timeout.
  CHECK(elapsed < 1000.0);
  // Once the registry is back the same client works again.
  fx.reg = fx.spawn_registry();
  REQUIRE(start_lookups(fx.self, c, {fx.ids[0]}) == 1u);
  outcome again;
  collect(fx.inbox, 1, again);
  CHECK(again.found[fx.ids[0]] == fx.servers[0]);
}

TEST_CASE("client refuses operations beyond its queue bound with client_overloaded") {
  client_fixture fx{20};
  client_policy policy;
  policy.deadline = std::chrono::seconds{3};
  policy.max_pending = 8;
  auto c = fx.spawn_caller(policy);
  REQUIRE(fx.kill_and_wait(fx.reg));
  REQUIRE(start_lookups(fx.self, c, fx.ids) == 20u);
  // The 12 refused ones are answered at once, while the registry is still down.
  outcome refused;
  collect(fx.inbox, 12, refused);
  REQUIRE(!refused.timed_out);
  CHECK(refused.failed.size() == 12u);
  for (auto& [id, err] : refused.failed)
    CHECK(is(err, registry_errc::client_overloaded));
  CHECK(stats_of(fx.self, c).overloaded == 12u);
  fx.reg = fx.spawn_registry();
  outcome served;
  collect(fx.inbox, 8, served);
  CHECK(!served.timed_out);
  CHECK(served.found.size() == 8u);
  CHECK(stats_of(fx.self, c).pending == 0u);
}

TEST_CASE("client answers not_found at once, without retrying") {
  client_fixture fx{1};
  auto c = fx.spawn_caller(client_policy{});
  REQUIRE(start_lookups(fx.self, c, {"no-such-session"}) == 1u);
  outcome out;
  collect(fx.inbox, 1, out);
  REQUIRE(out.failed.count("no-such-session") == 1u);
  CHECK(is(out.failed["no-such-session"], registry_errc::not_found));
  CHECK(stats_of(fx.self, c).retried == 0u);
}

TEST_CASE(
    "client registrations and removals during a registry restart are applied once it is back") {
  client_fixture fx{0};
  client_policy policy;
  policy.deadline = std::chrono::seconds{3};
  auto c = fx.spawn_caller(policy);
  auto server = fx.spawn_server();
  REQUIRE(!fx.add(fx.reg, "to-remove", server));
  REQUIRE(fx.kill_and_wait(fx.reg));
  std::size_t started = 0;
  fx.self
      ->request(c, answer_timeout, t_add_atom::value, std::string{"new-session"}, server,
                std::size_t{3})
      .receive([&](std::size_t n) { started += n; }, [](caf::error&) {});
  fx.self->request(c, answer_timeout, t_remove_atom::value, std::string{"to-remove"})
      .receive([&](std::size_t n) { started += n; }, [](caf::error&) {});
  REQUIRE(started == 2u);
  fx.reg = fx.spawn_registry();
  outcome out;
  collect(fx.inbox, 2, out);
  CHECK(!out.timed_out);
  CHECK(out.failed.empty());
  CHECK(out.ok_without_actor == 2u);
  CHECK(*fx.lookup(fx.reg, "new-session") == server);
  CHECK(fx.count_in_pool(fx.reg, 3) == 1u);
  CHECK(is(fx.lookup(fx.reg, "to-remove").error(), registry_errc::not_found));
}
