// All five config services under one one_for_one supervisor, as config_sup runs them: one
// crash touches no other service, stray errors kill none, refs follow restarts, and a service
// without its store refuses to start.
#include <doctest/doctest.h>

#include "cafmcp/actors/services/icon_cache.hpp"
#include "cafmcp/actors/services/icon_messages.hpp"
#include "cafmcp/actors/services/resource_messages.hpp"
#include "cafmcp/actors/services/resource_subscriptions.hpp"
#include "cafmcp/actors/services/session_manager.hpp"
#include "cafmcp/actors/services/session_messages.hpp"
#include "cafmcp/actors/services/sse_event_store.hpp"
#include "cafmcp/actors/services/sse_messages.hpp"
#include "cafmcp/actors/services/task_manager.hpp"
#include "cafmcp/actors/services/task_messages.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

const std::vector<std::string> service_ids{
    "session_manager", "task_manager", "resource_subscriptions", "sse_event_store", "icon_cache"};

struct tree_fixture : fixture {
  std::shared_ptr<service_ref> sessions_ref = std::make_shared<service_ref>();
  caf::actor config_sup;

  tree_fixture() {
    session_settings ss;
    ss.ref = sessions_ref;
    sup::supervisor_config c;
    c.name = "config_sup";
    c.flags.strategy = sup::strategy::one_for_one;
    c.flags.intensity = 10;
    c.flags.period = 10000ms;
    c.children = {
        session_manager_spec(std::make_shared<session_store>(), ss),
        task_manager_spec(std::make_shared<task_store>(), task_settings{}),
        resource_subscriptions_spec(std::make_shared<subscription_store>(), resource_settings{}),
        sse_event_store_spec(std::make_shared<sse_event_log>(), sse_store_settings{}),
        icon_cache_spec(std::make_shared<icon_store>(), icon_settings{}),
    };
    auto r = sup::start_supervisor(sys, std::move(c));
    REQUIRE(r);
    config_sup = *r;
    owned.push_back(config_sup);
  }

  // Each service answers one of its own questions.
  bool all_answer() {
    auto sm = child(config_sup, "session_manager");
    auto tm = child(config_sup, "task_manager");
    auto rs = child(config_sup, "resource_subscriptions");
    auto es = child(config_sup, "sse_event_store");
    auto ic = child(config_sup, "icon_cache");
    return ask<std::size_t>(sm, sm_count_atom::value) &&
           ask<std::size_t>(tm, tk_count_atom::value) &&
           ask<std::size_t>(rs, rs_count_atom::value) && ask<sse_stats>(es, es_stats_atom::value) &&
           ask<icon_stats>(ic, ic_stats_atom::value);
  }
};

} // namespace

TEST_CASE("one service's crash restarts only that service") {
  tree_fixture fx;
  for (auto& victim : service_ids) {
    CAPTURE(victim);
    std::map<std::string, caf::actor> before;
    for (auto& id : service_ids)
      before[id] = fx.child(fx.config_sup, id);
    auto restarted = fx.kill_and_await_restart(fx.config_sup, "config_sup", victim);
    REQUIRE(restarted);
    for (auto& id : service_ids) {
      if (id == victim)
        CHECK(fx.child(fx.config_sup, id) == restarted);
      else
        CHECK(fx.child(fx.config_sup, id) == before[id]);
    }
    CHECK(fx.all_answer());
  }
  // Only the victims were restarted.
  for (auto& r : fx.seen)
    if (r.kind == sup::report_kind::restarting)
      CHECK(std::find(service_ids.begin(), service_ids.end(), r.child_id) != service_ids.end());
}

TEST_CASE("stray error messages do not kill a service") {
  tree_fixture fx;
  std::map<std::string, caf::actor> before;
  for (auto& id : service_ids) {
    before[id] = fx.child(fx.config_sup, id);
    // What a peer that did not understand a notification would send back.
    fx.self->send(before[id], caf::make_error(caf::sec::unexpected_message));
  }
  CHECK(fx.all_answer());
  for (auto& id : service_ids)
    CHECK(fx.child(fx.config_sup, id) == before[id]);
}

TEST_CASE("a service ref names the current incarnation across restarts") {
  tree_fixture fx;
  auto first = fx.sessions_ref->get();
  REQUIRE(first);
  CHECK(first == fx.child(fx.config_sup, "session_manager"));
  auto restarted = fx.kill_and_await_restart(fx.config_sup, "config_sup", "session_manager");
  REQUIRE(restarted);
  CHECK(fx.sessions_ref->get() == restarted);
  CHECK(fx.ask<session_record>(fx.sessions_ref->get(), sm_open_atom::value, std::string{"stdio"},
                               caf::actor{}));
}

TEST_CASE("a service without its store refuses to start") {
  fixture fx;
  auto sm = fx.sys.spawn(session_manager, std::shared_ptr<session_store>{}, session_settings{});
  auto reason = fx.await_exit(sm);
  REQUIRE(reason);
  CHECK(is(*reason, svc_errc::invalid_argument));
  auto r = sup::start_supervisor(fx.sys, [] {
    sup::supervisor_config c;
    c.name = "broken_sup";
    c.children.push_back(task_manager_spec(nullptr, task_settings{}));
    return c;
  }());
  CHECK(!r); // the supervisor reports the failed start instead of running without state
}
