// Resource subscriptions: fan-out to exactly the subscribers of a URI, unsubscribe, dead
// subscribers dropped, limits, and a crash that keeps (and keeps watching) every subscription.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "cafmcp/actors/services/resource_messages.hpp"
#include "cafmcp/actors/services/resource_subscriptions.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

struct resource_fixture : fixture {
  std::shared_ptr<subscription_store> store = std::make_shared<subscription_store>();
  resource_settings settings;

  caf::actor start() { return spawn(resource_subscriptions, store, settings); }

  caf::error subscribe(const caf::actor& rs, const std::string& uri, const std::string& session,
                       const caf::actor& subscriber) {
    return ask_ok(rs, rs_sub_atom::value, uri, session, subscriber);
  }
  std::size_t notify(const caf::actor& rs, const std::string& uri) {
    return *ask<std::size_t>(rs, rs_notify_atom::value, uri);
  }
  std::size_t count(const caf::actor& rs) { return *ask<std::size_t>(rs, rs_count_atom::value); }
};

// The updates `receiver` got: every one that arrives until `n` did, or the deadline.
std::vector<std::pair<std::string, std::string>> updates(caf::scoped_actor& receiver,
                                                         std::size_t n) {
  std::vector<std::pair<std::string, std::string>> got;
  bool timed_out = false;
  while (got.size() < n && !timed_out)
    receiver->receive([&](rs_updated_atom, std::string& uri,
                          std::string& session) { got.emplace_back(uri, session); },
                      caf::after(deadline) >> [&] { timed_out = true; });
  return got;
}

// True when nothing is in `receiver`'s mailbox: every update sent before a round trip that
// followed it has arrived, since one sender's messages keep their order.
bool no_more_updates(caf::scoped_actor& receiver) {
  return receiver->mailbox().empty();
}

} // namespace

TEST_CASE("an updated resource notifies exactly its subscribers") {
  resource_fixture fx;
  auto rs = fx.start();
  caf::scoped_actor a{fx.sys};
  caf::scoped_actor b{fx.sys};
  auto ha = caf::actor_cast<caf::actor>(a);
  auto hb = caf::actor_cast<caf::actor>(b);
  REQUIRE(!fx.subscribe(rs, "file:///x", "s1", ha));
  REQUIRE(!fx.subscribe(rs, "file:///x", "s2", hb));
  REQUIRE(!fx.subscribe(rs, "file:///y", "s2", hb));
  CHECK(fx.count(rs) == 3u);
  CHECK(fx.notify(rs, "file:///x") == 2u);
  CHECK(updates(a, 1) == std::vector<std::pair<std::string, std::string>>{{"file:///x", "s1"}});
  CHECK(updates(b, 1) == std::vector<std::pair<std::string, std::string>>{{"file:///x", "s2"}});
  CHECK(fx.notify(rs, "file:///y") == 1u);
  CHECK(updates(b, 1).front().first == "file:///y");
  CHECK(fx.notify(rs, "file:///nobody") == 0u);
  CHECK(fx.notify(rs, "file:///X") == 0u); // URIs match exactly
  CHECK(no_more_updates(a));
  auto sessions =
      fx.ask<std::vector<std::string>>(rs, rs_list_atom::value, std::string{"file:///x"});
  REQUIRE(sessions);
  CHECK(*sessions == std::vector<std::string>{"s1", "s2"});
}

TEST_CASE("unsubscribe stops updates, and dropping a session removes all of its subscriptions") {
  resource_fixture fx;
  auto rs = fx.start();
  caf::scoped_actor a{fx.sys};
  auto ha = caf::actor_cast<caf::actor>(a);
  REQUIRE(!fx.subscribe(rs, "file:///x", "s1", ha));
  REQUIRE(!fx.subscribe(rs, "file:///y", "s1", ha));
  REQUIRE(!fx.subscribe(rs, "file:///x", "s2", ha));
  CHECK(!fx.ask_ok(rs, rs_unsub_atom::value, std::string{"file:///x"}, std::string{"s1"}));
  CHECK(is(fx.ask_ok(rs, rs_unsub_atom::value, std::string{"file:///x"}, std::string{"s1"}),
           svc_errc::not_found));
  CHECK(fx.notify(rs, "file:///x") == 1u);
  CHECK(updates(a, 1).front().second == "s2");
  CHECK(*fx.ask<std::size_t>(rs, rs_drop_atom::value, std::string{"s1"}) == 1u);
  CHECK(fx.notify(rs, "file:///y") == 0u);
  CHECK(fx.count(rs) == 1u);
}

TEST_CASE("subscribing twice is one subscription, and limits and bad arguments are refused") {
  resource_fixture fx;
  fx.settings.max_per_session = 2;
  auto rs = fx.start();
  caf::scoped_actor a{fx.sys};
  auto ha = caf::actor_cast<caf::actor>(a);
  REQUIRE(!fx.subscribe(rs, "file:///x", "s1", ha));
  REQUIRE(!fx.subscribe(rs, "file:///x", "s1", ha));
  CHECK(fx.count(rs) == 1u);
  REQUIRE(!fx.subscribe(rs, "file:///y", "s1", ha));
  CHECK(is(fx.subscribe(rs, "file:///z", "s1", ha), svc_errc::at_capacity));
  CHECK(is(fx.subscribe(rs, "", "s1", ha), svc_errc::invalid_argument));
  CHECK(is(fx.subscribe(rs, "file:///x", "", ha), svc_errc::invalid_argument));
  CHECK(is(fx.subscribe(rs, "file:///x", "s3", caf::actor{}), svc_errc::invalid_argument));
  CHECK(fx.count(rs) == 2u);
}

TEST_CASE("a dead subscriber's subscriptions are dropped") {
  resource_fixture fx;
  auto rs = fx.start();
  auto doomed = fx.spawn(dummy_peer);
  caf::scoped_actor alive{fx.sys};
  REQUIRE(!fx.subscribe(rs, "file:///x", "s1", doomed));
  REQUIRE(!fx.subscribe(rs, "file:///y", "s1", doomed));
  REQUIRE(!fx.subscribe(rs, "file:///x", "s2", caf::actor_cast<caf::actor>(alive)));
  caf::anon_send_exit(doomed, caf::exit_reason::kill);
  CHECK(fx.eventually([&] { return fx.count(rs) == 1u; }));
  CHECK(fx.notify(rs, "file:///x") == 1u);
}

TEST_CASE("the store drops exactly what a subscriber holds, also after a session moved on") {
  fixture fx;
  subscription_store store;
  auto a = fx.spawn(dummy_peer);
  auto b = fx.spawn(dummy_peer);
  REQUIRE(!store.subscribe("file:///x", "s1", a.address(), 10));
  REQUIRE(!store.subscribe("file:///y", "s1", a.address(), 10));
  REQUIRE(!store.subscribe("file:///x", "s2", a.address(), 10));
  // s1's server was replaced: the same subscription, now held by b.
  REQUIRE(!store.subscribe("file:///x", "s1", b.address(), 10));
  CHECK(store.size() == 3u);
  auto all = store.all_subscribers();
  CHECK(all.size() == 2u);
  CHECK(std::count(all.begin(), all.end(), a.address()) == 1);
  CHECK(std::count(all.begin(), all.end(), b.address()) == 1);
  CHECK(store.drop_subscriber(a.address()) == 2u);
  CHECK(store.drop_subscriber(a.address()) == 0u);
  auto x = store.subscribers("file:///x");
  REQUIRE(x.size() == 1u);
  CHECK(x[0] == std::make_pair(std::string{"s1"}, b.address()));
  CHECK(store.subscribers("file:///y").empty());
  // Unsubscribing and dropping a session leave no trace in the index.
  REQUIRE(!store.unsubscribe("file:///x", "s1"));
  CHECK(store.drop_subscriber(b.address()) == 0u);
  CHECK(store.all_subscribers().empty());
  CHECK(store.size() == 0u);
}

TEST_CASE("resource_subscriptions crash keeps its subscriptions") {
  resource_fixture fx;
  auto supervisor = fx.supervise(resource_subscriptions_spec(fx.store, fx.settings));
  auto rs = fx.child(supervisor, "resource_subscriptions");
  REQUIRE(rs);
  caf::scoped_actor a{fx.sys};
  auto survivor = caf::actor_cast<caf::actor>(a);
  auto dies_later = fx.spawn(dummy_peer);
  auto dies_meanwhile = fx.spawn(dummy_peer);
  REQUIRE(!fx.subscribe(rs, "file:///x", "s1", survivor));
  REQUIRE(!fx.subscribe(rs, "file:///x", "s2", dies_later));
  REQUIRE(!fx.subscribe(rs, "file:///x", "s3", dies_meanwhile));

  auto old = fx.child(supervisor, "resource_subscriptions");
  caf::anon_send_exit(old, caf::exit_reason::kill);
  // Dies while the service is down: the new incarnation must notice by itself.
  REQUIRE(fx.await_exit(old));
  caf::anon_send_exit(dies_meanwhile, caf::exit_reason::kill);
  auto started = fx.await_report([&](const sup::supervisor_report& r) {
    return r.kind == sup::report_kind::child_started && r.child_id == "resource_subscriptions" &&
           r.child != old.address();
  });
  REQUIRE(started);
  auto restarted = caf::actor_cast<caf::actor>(started->child);
  REQUIRE(restarted);
  CHECK(fx.eventually([&] { return fx.count(restarted) == 2u; }));
  CHECK(fx.notify(restarted, "file:///x") == 2u);
  CHECK(updates(a, 1).front().second == "s1");
  // The restarted service watches the subscribers it inherited.
  caf::anon_send_exit(dies_later, caf::exit_reason::kill);
  CHECK(fx.eventually([&] { return fx.count(restarted) == 1u; }));
}
