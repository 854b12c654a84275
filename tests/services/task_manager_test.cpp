// The task manager: secure ids, the status machine, results and their waiters, scoping,
// pagination, limits, TTL expiry, status notifications, and a crash that keeps every task.
#include <doctest/doctest.h>

#include <set>

#include "cafmcp/actors/services/task_json.hpp"
#include "cafmcp/actors/services/task_manager.hpp"
#include "cafmcp/actors/services/task_messages.hpp"
#include "cafmcp/protocol/cursor.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

// Asks for tasks/result without blocking the test, and hands the answer to `report_to`.
caf::behavior result_waiter(caf::event_based_actor* self, caf::actor tm, std::string owner,
                            std::string task_id, caf::actor report_to) {
  self->request(tm, caf::infinite, tk_result_atom::value, owner, task_id)
      .then(
          [=](task_record& rec) {
            self->send(report_to, rec);
            self->quit();
          },
          [=](caf::error& err) {
            self->send(report_to, err);
            self->quit();
          });
  return {[](t_ping_atom) { return t_pong_atom::value; }};
}

struct task_fixture : fixture {
  manual_clock clock;
  std::shared_ptr<task_store> store = std::make_shared<task_store>();
  task_settings settings;

  task_fixture() {
    settings.clock = clock.fn();
    settings.sweep_interval = 3600000ms; // tests sweep on request unless they test the timer
    settings.limits.default_ttl_ms = 60000;
    settings.limits.max_ttl_ms = 120000;
    settings.limits.default_poll_interval_ms = 500;
  }

  caf::actor start() { return spawn(task_manager, store, settings); }

  caf::expected<task_record> create(const caf::actor& tm, const std::string& owner,
                                    std::int64_t ttl = 0, std::int64_t poll = 0) {
    return ask<task_record>(tm, tk_create_atom::value, owner, ttl, poll);
  }
  caf::expected<task_record> get(const caf::actor& tm, const std::string& owner,
                                 const std::string& id) {
    return ask<task_record>(tm, tk_get_atom::value, owner, id);
  }
  caf::expected<task_record> update(const caf::actor& tm, const std::string& id, task_status s,
                                    std::string msg = {}) {
    return ask<task_record>(tm, tk_update_atom::value, id, s, msg);
  }
  caf::expected<task_record> finish(const caf::actor& tm, const std::string& id, task_status s,
                                    task_outcome outcome) {
    return ask<task_record>(tm, tk_finish_atom::value, id, s, outcome);
  }
  std::size_t waiting(const caf::actor& tm) {
    return *ask<std::size_t>(tm, tk_waiting_atom::value);
  }

  // Starts `n` tasks/result waiters for `id` and waits until the manager holds all of them.
  void start_waiters(const caf::actor& tm, const std::string& owner, const std::string& id,
                     caf::actor report_to, std::size_t n) {
    auto before = waiting(tm);
    for (std::size_t i = 0; i < n; ++i)
      spawn(result_waiter, tm, owner, id, report_to);
    REQUIRE(eventually([&] { return waiting(tm) == before + n; }));
  }
};

task_outcome result_of(std::string json) {
  return {outcome_kind::result, std::move(json)};
}

} // namespace

TEST_CASE("a new task is working, has a unique secure id, a ttl and a poll interval") {
  task_fixture fx;
  auto tm = fx.start();
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto rec = fx.create(tm, "alice");
    REQUIRE(rec);
    CHECK(rec->task_id.size() == 32u);
    CHECK(rec->status == task_status::working);
    CHECK(rec->owner == "alice");
    CHECK(rec->created_ms == fx.clock.now());
    CHECK(rec->ttl_ms == 60000);
    CHECK(rec->poll_interval_ms == 500);
    ids.insert(rec->task_id);
  }
  CHECK(ids.size() == 50u);
  auto custom = fx.create(tm, "bob", 5000, 250);
  CHECK(custom->ttl_ms == 5000);
  CHECK(custom->poll_interval_ms == 250);
  auto capped = fx.create(tm, "bob", 10'000'000);
  CHECK(capped->ttl_ms == 120000); // the receiver may shorten the requested ttl
}

TEST_CASE("the task status machine allows exactly the transitions of the spec") {
  using S = task_status;
  const S all[] = {S::working, S::input_required, S::completed, S::failed, S::cancelled};
  for (auto from : all)
    for (auto to : all) {
      CAPTURE(to_string(from));
      CAPTURE(to_string(to));
      CHECK(can_transition(from, to) == !is_terminal(from));
    }
  CHECK(parse_task_status("input_required") == S::input_required);
  CHECK(!parse_task_status("done"));
}

TEST_CASE("a task moves through input_required and back, then completes with its result") {
  task_fixture fx;
  auto tm = fx.start();
  auto rec = *fx.create(tm, "alice");
  fx.clock.advance(10ms);
  auto asked = fx.update(tm, rec.task_id, task_status::input_required, "need a value");
  REQUIRE(asked);
  CHECK(asked->status == task_status::input_required);
  CHECK(asked->status_message == "need a value");
  CHECK(asked->last_updated_ms == rec.created_ms + 10);
  REQUIRE(fx.update(tm, rec.task_id, task_status::working, "got it"));
  auto done = fx.finish(tm, rec.task_id, task_status::completed, result_of(R"({"content":[]})"));
  REQUIRE(done);
  CHECK(done->status == task_status::completed);
  auto got = fx.get(tm, "alice", rec.task_id);
  REQUIRE(got);
  CHECK(got->outcome.kind == outcome_kind::result);
  CHECK(got->outcome.json == R"({"content":[]})");
  CHECK(*fx.ask<std::size_t>(tm, tk_count_atom::value, std::string{"alice"}) == 0u);
}

TEST_CASE("terminal tasks never change, and illegal requests are refused with clear errors") {
  task_fixture fx;
  auto tm = fx.start();
  auto completed = *fx.create(tm, "alice");
  auto failed = *fx.create(tm, "alice");
  auto cancelled = *fx.create(tm, "alice");
  REQUIRE(fx.finish(tm, completed.task_id, task_status::completed, result_of("{}")));
  REQUIRE(fx.finish(tm, failed.task_id, task_status::failed,
                    task_outcome{outcome_kind::error, R"({"code":-32603,"message":"x"})"}));
  REQUIRE(fx.ask<task_record>(tm, tk_cancel_atom::value, std::string{"alice"}, cancelled.task_id));
  for (auto* rec : {&completed, &failed, &cancelled}) {
    for (auto to : {task_status::working, task_status::input_required, task_status::cancelled}) {
      auto r = fx.update(tm, rec->task_id, to);
      REQUIRE(!r);
      CHECK(is(r.error(), svc_errc::already_terminal));
    }
    CHECK(is(fx.finish(tm, rec->task_id, task_status::completed, result_of("{}")).error(),
             svc_errc::already_terminal));
    CHECK(is(
        fx.ask<task_record>(tm, tk_cancel_atom::value, std::string{"alice"}, rec->task_id).error(),
        svc_errc::already_terminal));
  }
  CHECK(fx.get(tm, "alice", completed.task_id)->status == task_status::completed);
  CHECK(fx.get(tm, "alice", failed.task_id)->outcome.kind == outcome_kind::error);
  // completed/failed need an outcome; finish takes only those two.
  auto live = *fx.create(tm, "alice");
  CHECK(
      is(fx.update(tm, live.task_id, task_status::completed).error(), svc_errc::invalid_argument));
  CHECK(is(fx.finish(tm, live.task_id, task_status::cancelled, result_of("{}")).error(),
           svc_errc::invalid_argument));
  CHECK(is(fx.finish(tm, live.task_id, task_status::completed, task_outcome{}).error(),
           svc_errc::invalid_argument));
  CHECK(is(fx.update(tm, "no-such-task", task_status::working).error(), svc_errc::not_found));
  auto err = fx.update(tm, completed.task_id, task_status::working).error();
  CHECK(fx.render(err).find("already_terminal") != std::string::npos);
}

TEST_CASE("tasks/result waiters are all answered when the task completes") {
  task_fixture fx;
  auto tm = fx.start();
  auto rec = *fx.create(tm, "alice");
  caf::scoped_actor collector{fx.sys};
  fx.start_waiters(tm, "alice", rec.task_id, caf::actor_cast<caf::actor>(collector), 3);
  REQUIRE(fx.update(tm, rec.task_id, task_status::input_required)); // not terminal: no answer
  CHECK(fx.waiting(tm) == 3u);
  REQUIRE(fx.finish(tm, rec.task_id, task_status::completed, result_of(R"({"n":1})")));
  int answered = 0;
  bool timed_out = false;
  while (answered < 3 && !timed_out)
    collector->receive(
        [&](task_record& r) {
          CHECK(r.task_id == rec.task_id);
          CHECK(r.status == task_status::completed);
          CHECK(r.outcome.json == R"({"n":1})");
          ++answered;
        },
        caf::after(deadline) >> [&] { timed_out = true; });
  CHECK(answered == 3);
  CHECK(fx.waiting(tm) == 0u);
  // A terminal task answers tasks/result at once.
  auto again = fx.ask<task_record>(tm, tk_result_atom::value, std::string{"alice"}, rec.task_id);
  REQUIRE(again);
  CHECK(again->outcome.json == R"({"n":1})");
}

TEST_CASE("cancel moves a task to cancelled before answering and wakes its waiters") {
  task_fixture fx;
  auto tm = fx.start();
  auto rec = *fx.create(tm, "alice");
  caf::scoped_actor collector{fx.sys};
  fx.start_waiters(tm, "alice", rec.task_id, caf::actor_cast<caf::actor>(collector), 1);
  auto cancelled =
      fx.ask<task_record>(tm, tk_cancel_atom::value, std::string{"alice"}, rec.task_id);
  REQUIRE(cancelled);
  CHECK(cancelled->status == task_status::cancelled);
  CHECK(fx.get(tm, "alice", rec.task_id)->status == task_status::cancelled);
  std::optional<task_record> woke;
  collector->receive([&](task_record& r) { woke = r; }, caf::after(deadline) >> [] {});
  REQUIRE(woke);
  CHECK(woke->status == task_status::cancelled);
  CHECK(woke->outcome.kind == outcome_kind::none);
}

TEST_CASE("tasks are scoped to their requestor") {
  task_fixture fx;
  auto tm = fx.start();
  auto mine = *fx.create(tm, "alice");
  for (auto r :
       {fx.get(tm, "mallory", mine.task_id),
        fx.ask<task_record>(tm, tk_cancel_atom::value, std::string{"mallory"}, mine.task_id),
        fx.ask<task_record>(tm, tk_result_atom::value, std::string{"mallory"}, mine.task_id)}) {
    REQUIRE(!r);
    CHECK(is(r.error(), svc_errc::not_found));
  }
  CHECK(fx.get(tm, "alice", mine.task_id)->status == task_status::working);
  auto page = fx.ask<task_page>(tm, tk_list_atom::value, std::string{"mallory"}, std::string{});
  REQUIRE(page);
  CHECK(page->tasks.empty());
}

TEST_CASE("tasks/list pages through a requestor's tasks in creation order") {
  task_fixture fx;
  fx.settings.limits.page_size = 3;
  auto tm = fx.start();
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(fx.create(tm, "alice")->task_id);
    fx.create(tm, "bob");
  }
  std::vector<std::string> listed;
  std::string cursor;
  int pages = 0;
  do {
    auto page = fx.ask<task_page>(tm, tk_list_atom::value, std::string{"alice"}, cursor);
    REQUIRE(page);
    for (auto& t : page->tasks)
      listed.push_back(t.task_id);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  CHECK(pages == 3);
  CHECK(listed == created);
  auto bad =
      fx.ask<task_page>(tm, tk_list_atom::value, std::string{"alice"}, std::string{"not-a-cursor"});
  REQUIRE(!bad);
  CHECK(is(bad.error(), svc_errc::invalid_cursor));
  auto foreign = cafmcp::protocol::encode_cursor("tools/list", "0000000000000001");
  CHECK(is(fx.ask<task_page>(tm, tk_list_atom::value, std::string{"alice"}, foreign).error(),
           svc_errc::invalid_cursor));
}

TEST_CASE("a requestor gets at most max_active_per_owner concurrent tasks") {
  task_fixture fx;
  fx.settings.limits.max_active_per_owner = 2;
  auto tm = fx.start();
  auto a = *fx.create(tm, "alice");
  REQUIRE(fx.create(tm, "alice"));
  auto refused = fx.create(tm, "alice");
  REQUIRE(!refused);
  CHECK(is(refused.error(), svc_errc::at_capacity));
  CHECK(fx.create(tm, "bob")); // others are not affected
  REQUIRE(fx.finish(tm, a.task_id, task_status::completed, result_of("{}")));
  CHECK(fx.create(tm, "alice")); // a finished task frees its slot
}

TEST_CASE("tasks expire after their ttl, and waiters on them learn it") {
  task_fixture fx;
  auto tm = fx.start();
  auto short_lived = *fx.create(tm, "alice", 1000);
  auto long_lived = *fx.create(tm, "alice", 100000);
  caf::scoped_actor collector{fx.sys};
  fx.start_waiters(tm, "alice", short_lived.task_id, caf::actor_cast<caf::actor>(collector), 1);
  fx.clock.advance(999ms);
  CHECK(*fx.ask<std::size_t>(tm, tk_sweep_atom::value) == 0u);
  fx.clock.advance(1ms);
  CHECK(*fx.ask<std::size_t>(tm, tk_sweep_atom::value) == 1u);
  std::optional<caf::error> err;
  collector->receive([&](caf::error& e) { err = e; }, caf::after(deadline) >> [] {});
  REQUIRE(err);
  CHECK(is(*err, svc_errc::task_expired));
  CHECK(is(fx.get(tm, "alice", short_lived.task_id).error(), svc_errc::not_found));
  CHECK(fx.get(tm, "alice", long_lived.task_id));
  CHECK(*fx.ask<std::size_t>(tm, tk_count_atom::value) == 1u);
}

TEST_CASE("the periodic sweep removes expired tasks by itself") {
  task_fixture fx;
  fx.settings.sweep_interval = 5ms;
  auto tm = fx.start();
  auto rec = *fx.create(tm, "alice", 1000);
  fx.clock.advance(2000ms);
  CHECK(fx.eventually([&] { return *fx.ask<std::size_t>(tm, tk_count_atom::value) == 0u; }));
  CHECK(is(fx.get(tm, "alice", rec.task_id).error(), svc_errc::not_found));
}

TEST_CASE("status subscribers hear every status change of their requestor's tasks") {
  task_fixture fx;
  auto tm = fx.start();
  caf::scoped_actor sub{fx.sys};
  REQUIRE(
      !fx.ask_ok(tm, tk_watch_atom::value, std::string{"alice"}, caf::actor_cast<caf::actor>(sub)));
  auto rec = *fx.create(tm, "alice");
  auto other = *fx.create(tm, "bob");
  REQUIRE(fx.update(tm, other.task_id, task_status::input_required)); // not alice's
  REQUIRE(fx.update(tm, rec.task_id, task_status::input_required));
  REQUIRE(fx.finish(tm, rec.task_id, task_status::completed, result_of(R"({"big":1})")));
  std::vector<task_record> heard;
  bool timed_out = false;
  while (heard.size() < 2 && !timed_out)
    sub->receive([&](tk_status_atom, task_record& r) { heard.push_back(r); },
                 caf::after(deadline) >> [&] { timed_out = true; });
  REQUIRE(heard.size() == 2u);
  CHECK(heard[0].task_id == rec.task_id);
  CHECK(heard[0].status == task_status::input_required);
  CHECK(heard[1].status == task_status::completed);
  CHECK(heard[1].outcome.json.empty()); // notifications carry no result
}

TEST_CASE("the task store forgets a dead subscriber under each of its owners, and only it") {
  task_fixture fx;
  caf::scoped_actor a{fx.sys};
  caf::scoped_actor b{fx.sys};
  auto& st = *fx.store;
  st.add_subscriber("alice", a->address());
  st.add_subscriber("bob", a->address());
  st.add_subscriber("bob", b->address());
  CHECK(st.all_subscribers().size() == 2u);
  st.remove_subscriber("alice", a->address());
  CHECK(st.subscribers("alice").empty());
  CHECK(st.subscribers("bob").size() == 2u);
  // a dies: gone from bob's list; b stays.
  st.drop_subscriber(a->address());
  CHECK(st.subscribers("bob") == std::vector<caf::actor_addr>{b->address()});
  CHECK(st.all_subscribers() == std::vector<caf::actor_addr>{b->address()});
  st.drop_subscriber(b->address());
  CHECK(st.subscribers("bob").empty());
  CHECK(st.all_subscribers().empty());
}

TEST_CASE("a task renders as the MCP Task object") {
  task_record rec;
  rec.task_id = "abc";
  rec.status = task_status::input_required;
  rec.status_message = "waiting";
  rec.created_ms = 0;
  rec.last_updated_ms = 1500;
  rec.ttl_ms = 60000;
  rec.poll_interval_ms = 1000;
  auto j = task_to_json(rec);
  CHECK(j["taskId"] == "abc");
  CHECK(j["status"] == "input_required");
  CHECK(j["statusMessage"] == "waiting");
  CHECK(j["createdAt"] == "1970-01-01T00:00:00.000Z");
  CHECK(j["lastUpdatedAt"] == "1970-01-01T00:00:01.500Z");
  CHECK(j["ttl"] == 60000);
  CHECK(j["pollInterval"] == 1000);
}

TEST_CASE("task_manager crash keeps its tasks, and its waiters get an error they can retry") {
  task_fixture fx;
  auto supervisor = fx.supervise(task_manager_spec(fx.store, fx.settings));
  auto tm = fx.child(supervisor, "task_manager");
  REQUIRE(tm);
  caf::scoped_actor sub{fx.sys};
  REQUIRE(
      !fx.ask_ok(tm, tk_watch_atom::value, std::string{"alice"}, caf::actor_cast<caf::actor>(sub)));
  auto done = *fx.create(tm, "alice");
  auto pending = *fx.create(tm, "alice");
  REQUIRE(fx.finish(tm, done.task_id, task_status::completed, result_of(R"({"ok":true})")));
  sub->receive([](tk_status_atom, task_record&) {}, caf::after(deadline) >> [] {});
  caf::scoped_actor collector{fx.sys};
  fx.start_waiters(tm, "alice", pending.task_id, caf::actor_cast<caf::actor>(collector), 2);

  auto restarted = fx.kill_and_await_restart(supervisor, "services_sup", "task_manager");
  REQUIRE(restarted);
  int retryable = 0;
  bool timed_out = false;
  while (retryable < 2 && !timed_out)
    collector->receive(
        [&](caf::error& e) {
          CHECK(is(e, svc_errc::service_restarted));
          ++retryable;
        },
        caf::after(deadline) >> [&] { timed_out = true; });
  CHECK(retryable == 2);
  // The tasks and the result are still there; the new incarnation answers.
  CHECK(*fx.ask<std::size_t>(restarted, tk_count_atom::value) == 2u);
  auto result =
      fx.ask<task_record>(restarted, tk_result_atom::value, std::string{"alice"}, done.task_id);
  REQUIRE(result);
  CHECK(result->outcome.json == R"({"ok":true})");
  // Retried waiters are answered by the new incarnation, and the subscriber still hears.
  fx.start_waiters(restarted, "alice", pending.task_id, caf::actor_cast<caf::actor>(collector), 1);
  REQUIRE(fx.finish(restarted, pending.task_id, task_status::failed,
                    task_outcome{outcome_kind::error, R"({"code":-32603})"}));
  std::optional<task_record> woke;
  collector->receive([&](task_record& r) { woke = r; }, caf::after(deadline) >> [] {});
  REQUIRE(woke);
  CHECK(woke->status == task_status::failed);
  std::optional<task_record> heard;
  sub->receive([&](tk_status_atom, task_record& r) { heard = r; }, caf::after(deadline) >> [] {});
  REQUIRE(heard);
  CHECK(heard->task_id == pending.task_id);
  // The per-requestor bookkeeping survived too: both of alice's tasks are terminal now.
  CHECK(*fx.ask<std::size_t>(restarted, tk_count_atom::value, std::string{"alice"}) == 0u);
}
