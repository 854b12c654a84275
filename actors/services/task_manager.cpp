#include "cafmcp/actors/services/task_manager.hpp"

#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "cafmcp/actors/services/service_actor.hpp"
#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/service_spec.hpp"
#include "cafmcp/actors/services/task_messages.hpp"

namespace cafmcp::services {

namespace {

using self_ptr = caf::stateful_actor<task_manager_state>*;

// The periodic sweep, sent by the manager to itself with its current token.
using tk_tick_atom = caf::atom_constant<caf::atom("tk_tick")>;

std::int64_t now(self_ptr self) {
  return self->state.settings.clock();
}

// Answers every tasks/result request waiting for `task_id`.
template <class Answer>
void answer_waiters(self_ptr self, const std::string& task_id, Answer answer) {
  auto& by_task = self->state.waiters->by_task;
  auto it = by_task.find(task_id);
  if (it == by_task.end())
    return;
  auto promises = std::move(it->second);
  by_task.erase(it);
  for (auto& rp : promises)
    answer(rp);
}

// After a status change: tells the owner's subscribers, and answers the waiters once terminal.
void changed(self_ptr self, const task_record& rec) {
  auto& store = *self->state.store;
  auto subs = store.subscribers(rec.owner);
  if (!subs.empty()) {
    // A status notification carries no result: tasks/result is the way to get that.
    auto note = rec;
    note.outcome = task_outcome{};
    for (auto& addr : subs) {
      if (auto sub = caf::actor_cast<caf::actor>(addr))
        caf::anon_send(sub, tk_status_atom::value, note);
      else
        store.remove_subscriber(rec.owner, addr);
    }
  }
  if (is_terminal(rec.status))
    answer_waiters(self, rec.task_id, [&rec](caf::response_promise& rp) { rp.deliver(rec); });
}

caf::result<task_record> after_change(self_ptr self, caf::expected<task_record> rec) {
  if (rec)
    changed(self, *rec);
  return rec;
}

std::size_t sweep(self_ptr self) {
  auto gone = self->state.store->expire(now(self));
  for (auto& rec : gone)
    answer_waiters(self, rec.task_id, [&rec](caf::response_promise& rp) {
      rp.deliver(caf::make_error(svc_errc::task_expired, rec.task_id));
    });
  return gone.size();
}

void arm_sweep(self_ptr self) {
  auto& st = self->state;
  if (st.settings.sweep_interval.count() <= 0)
    return;
  self->delayed_send(self, st.settings.sweep_interval, tk_tick_atom::value, ++st.sweep_token);
}

} // namespace

caf::behavior task_manager(self_ptr self, std::shared_ptr<task_store> store,
                           task_settings settings) {
  if (!store) {
    self->quit(caf::make_error(svc_errc::invalid_argument, "task_manager without a store"));
    return {};
  }
  auto& st = self->state;
  st.store = std::move(store);
  st.settings = std::move(settings);
  st.waiters = std::make_shared<task_waiters>();
  // Runs on any termination, kill included, after the state is gone: hence its own reference.
  self->attach_functor([waiters = st.waiters](const caf::error&) {
    for (auto& [task_id, promises] : waiters->by_task)
      for (auto& rp : promises)
        rp.deliver(caf::make_error(svc_errc::service_restarted, task_id));
    waiters->by_task.clear();
  });
  self->set_down_handler([self](caf::down_msg& dm) {
    self->state.monitors.forget(dm.source);
    self->state.store->drop_subscriber(dm.source);
  });
  for (auto& sub : st.store->all_subscribers())
    if (!st.monitors.watch(self, sub))
      st.store->drop_subscriber(sub);
  arm_sweep(self);
  prepare_service_actor(self, self->state.settings.ref);
  return {
      [self](tk_create_atom, std::string& owner, std::int64_t ttl_ms,
             std::int64_t poll_interval_ms) -> caf::result<task_record> {
        return self->state.store->create(std::move(owner), ttl_ms, poll_interval_ms, now(self),
                                         self->state.settings.limits);
      },
      [self](tk_get_atom, std::string& owner, std::string& task_id) -> caf::result<task_record> {
        return self->state.store->get(owner, task_id);
      },
      [self](tk_list_atom, std::string& owner, std::string& cursor) -> caf::result<task_page> {
        return self->state.store->list(owner, cursor, self->state.settings.limits.page_size);
      },
      [self](tk_cancel_atom, std::string& owner, std::string& task_id) -> caf::result<task_record> {
        // The store holds the cancelled status before anyone hears of it.
        return after_change(self, self->state.store->cancel(owner, task_id, now(self)));
      },
      [self](tk_result_atom, std::string& owner, std::string& task_id) -> caf::result<task_record> {
        auto rec = self->state.store->get(owner, task_id);
        if (!rec || is_terminal(rec->status))
          return rec;
        auto rp = self->make_response_promise();
        self->state.waiters->by_task[task_id].push_back(rp);
        return rp;
      },
      [self](tk_update_atom, std::string& task_id, task_status status,
             std::string& message) -> caf::result<task_record> {
        return after_change(
            self, self->state.store->update(task_id, status, std::move(message), now(self)));
      },
      [self](tk_finish_atom, std::string& task_id, task_status status,
             task_outcome& outcome) -> caf::result<task_record> {
        return after_change(
            self, self->state.store->finish(task_id, status, std::move(outcome), now(self)));
      },
      [self](tk_watch_atom, std::string& owner, caf::actor& sub) -> caf::result<caf::ok_atom> {
        if (!sub)
          return caf::make_error(svc_errc::invalid_argument, "invalid subscriber");
        self->state.store->add_subscriber(owner, sub.address());
        self->state.monitors.watch(self, sub.address());
        return caf::ok_atom::value;
      },
      [self](tk_unwatch_atom, std::string& owner, caf::actor& sub) {
        self->state.store->remove_subscriber(owner, sub.address());
        return caf::ok_atom::value;
      },
      [self](tk_count_atom) { return self->state.store->size(); },
      [self](tk_count_atom, std::string& owner) { return self->state.store->active_count(owner); },
      [self](tk_sweep_atom) { return sweep(self); },
      [self](tk_waiting_atom) {
        std::size_t n = 0;
        for (auto& [task_id, promises] : self->state.waiters->by_task)
          n += promises.size();
        return n;
      },
      [self](tk_tick_atom, std::uint64_t token) {
        if (token != self->state.sweep_token)
          return;
        sweep(self);
        arm_sweep(self);
      },
  };
}

supervision::child_spec task_manager_spec(std::shared_ptr<task_store> store, task_settings settings,
                                          std::string id) {
  return service_spec(std::move(id), task_manager, std::move(store), std::move(settings));
}

} // namespace cafmcp::services
