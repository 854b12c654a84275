#include "cafmcp/actors/supervision/supervisor_state.hpp"

#include <exception>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"

namespace cafmcp::supervision::detail {

namespace {

// Private to the supervisor: OTP's try_again_restart cast, and shutdown timers.
using try_again_atom = caf::atom_constant<caf::atom("s_again")>;
using stop_timer_atom = caf::atom_constant<caf::atom("s_timer")>;
using kick_atom = caf::atom_constant<caf::atom("s_kick")>;

int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// What a child gets when its supervisor dies without stopping it first. OTP
// hands linked processes `killed` for a kill; a kill here would also be
// untrappable, which would rob nested supervisors of their orderly shutdown.
caf::error reason_for_orphans(const caf::error& supervisor_reason) {
  if (supervisor_reason == caf::exit_reason::kill)
    return caf::make_error(sup_errc::killed);
  if (!supervisor_reason || supervisor_reason == caf::exit_reason::normal)
    return caf::make_error(caf::exit_reason::user_shutdown);
  return supervisor_reason;
}

void send_exit_from(const caf::actor_addr& source, const caf::actor& dest, caf::error reason) {
  dest->enqueue(nullptr, caf::make_message_id(),
                caf::make_message(caf::exit_msg{source, std::move(reason)}), nullptr);
}

} // namespace

// -- the operation queue ------------------------------------------------------

void supervisor_state::enqueue(std::function<void()> run,
                               std::function<void(const caf::error&)> abort) {
  ops_.push_back(pending_op{std::move(run), std::move(abort)});
  pump();
}

void supervisor_state::enqueue_front(std::function<void()> run) {
  ops_.push_front(pending_op{std::move(run), {}});
  pump();
}

void supervisor_state::abort_pending(const caf::error& reason) {
  auto pending = std::move(ops_);
  ops_.clear();
  for (auto& p : pending)
    if (p.abort)
      p.abort(reason);
}

template <class T, class F>
caf::result<T> supervisor_state::queue_request(F f) {
  auto rp = self_->make_response_promise<T>();
  enqueue([f = std::move(f), rp]() mutable { f(rp); },
          [rp](const caf::error& reason) mutable { rp.deliver(reason); });
  return rp;
}

void supervisor_state::pump() {
  // Operations that finish synchronously call op_done() from inside op();
  // the loop (not recursion) then runs the next one.
  if (pumping_)
    return;
  pumping_ = true;
  while (!busy_ && !ops_.empty()) {
    auto f = std::move(ops_.front().run);
    ops_.pop_front();
    busy_ = true;
    f();
  }
  pumping_ = false;
}

void supervisor_state::op_done() {
  busy_ = false;
  if (!stopping_)
    pump();
}

// -- events -------------------------------------------------------------------

void supervisor_state::on_down(caf::down_msg& dm) {
  auto id = dm.source.id();
  if (auto i = down_waiters_.find(id); i != down_waiters_.end()) {
    auto k = std::move(i->second);
    down_waiters_.erase(i);
    k(dm.reason);
    return;
  }
  unhandled_downs_[id] = std::move(dm.reason);
  enqueue([this, id] { handle_exit(id); });
}

void supervisor_state::await_down(caf::actor_id id, std::function<void(const caf::error&)> k) {
  if (auto i = unhandled_downs_.find(id); i != unhandled_downs_.end()) {
    auto reason = std::move(i->second);
    unhandled_downs_.erase(i);
    k(reason);
    return;
  }
  down_waiters_[id] = std::move(k);
}

uint64_t supervisor_state::arm_timer(std::chrono::milliseconds after, std::function<void()> f) {
  auto token = ++next_timer_;
  timers_.emplace(token, std::move(f));
  self_->delayed_send(self_, after, stop_timer_atom::value, token);
  return token;
}

void supervisor_state::report(report_kind kind, const std::string& child_id,
                              const caf::actor_addr& child, caf::error reason, uint64_t count) {
  supervisor_report r;
  r.kind = kind;
  r.supervisor = name_;
  r.supervisor_addr = self_->address();
  r.child_id = child_id;
  r.child = child;
  r.reason = std::move(reason);
  r.count = count;
  r.steady_ns = steady_now_ns();
  self_->send(reports_, std::move(r));
}

// -- starting and stopping one process ----------------------------------------

void supervisor_state::start_process(const child_spec& spec, const caf::message& args,
                                     on_started k) {
  caf::expected<start_result> started{caf::error{}};
  try {
    start_context ctx{self_, spec.id, args};
    started = spec.start(ctx);
  } catch (const std::exception& e) {
    started = caf::make_error(sup_errc::start_exception, e.what());
  } catch (...) {
    started = caf::make_error(sup_errc::start_exception, "unknown exception");
  }
  if (!started)
    return k(std::move(started.error()));
  if (started->ignored())
    return k(caf::actor{});
  auto child = started->child();
  self_->monitor(child);
  if (started->ack() == start_ack::none)
    return k(child);
  // The child counts as started once it answers; if it dies first (its init
  // threw, or a nested supervisor failed to start its own children), the down
  // message carries the real reason and ends the start with it.
  auto settled = std::make_shared<bool>(false);
  down_waiters_[child.id()] = [k, settled](const caf::error& reason) {
    if (*settled)
      return;
    *settled = true;
    k(reason ? reason : caf::make_error(caf::exit_reason::normal));
  };
  auto on_ok = [this, k, settled, child] {
    if (*settled)
      return;
    *settled = true;
    down_waiters_.erase(child.id());
    k(child);
  };
  auto on_error = [](caf::error&) { /* the down message follows with the reason */ };
  if (started->ack() == start_ack::supervisor_ready) {
    self_->request(child, caf::infinite, supervisor_ready_atom::value)
        .then([on_ok](caf::ok_atom) { on_ok(); }, on_error);
  } else {
    self_
        ->request(child, caf::infinite, caf::sys_atom::value, caf::get_atom::value,
                  std::string{"info"})
        .then(
            [on_ok](caf::ok_atom, std::string&, caf::strong_actor_ptr&, std::string&) { on_ok(); },
            on_error);
  }
}

bool supervisor_state::expected_stop(const caf::error& reason, const child_spec& spec) const {
  // OTP's shutdown/2: killed for brutal_kill, shutdown otherwise, and for
  // non-permanent children also normal and {shutdown, _}.
  if (spec.effective_shutdown().mode == shutdown_spec::kind::brutal_kill &&
      reason == caf::exit_reason::kill)
    return true;
  if (reason == caf::exit_reason::user_shutdown)
    return true;
  return spec.restart != restart_type::permanent && is_normal_exit(reason);
}

void supervisor_state::stop_process(const caf::actor& pid, const child_spec& spec,
                                    std::function<void()> k) {
  auto id = pid.id();
  auto sd = spec.effective_shutdown();
  uint64_t timer = 0;
  if (sd.mode == shutdown_spec::kind::brutal_kill) {
    self_->send_exit(pid, caf::exit_reason::kill);
  } else {
    self_->send_exit(pid, caf::exit_reason::user_shutdown);
    if (sd.mode == shutdown_spec::kind::timeout)
      timer = arm_timer(sd.timeout, [this, pid, id] {
        if (down_waiters_.count(id) > 0)
          self_->send_exit(pid, caf::exit_reason::kill);
      });
  }
  await_down(id, [this, pid, spec_id = spec.id, spec, timer, k](const caf::error& reason) {
    timers_.erase(timer);
    if (!expected_stop(reason, spec))
      report(report_kind::shutdown_error, spec_id, pid.address(), reason);
    k();
  });
}

// -- static children ----------------------------------------------------------

void supervisor_state::mark_running(static_child& c, const caf::actor& pid) {
  c.pid = pid;
  c.status = child_status::running;
  report(report_kind::child_started, c.spec.id, pid.address());
}

void supervisor_state::init_static(size_t i) {
  auto& statics = table_->statics;
  if (i == statics.size())
    return op_done(); // every child runs: supervisor_ready requests now succeed
  start_process(statics[i].spec, caf::message{}, [this, i](caf::expected<caf::actor> r) {
    auto& c = table_->statics[i];
    if (!r) {
      report(report_kind::start_error, c.spec.id, caf::actor_addr{}, r.error());
      auto why = caf::make_error(sup_errc::shutdown, "failed_to_start_child", c.spec.id, r.error());
      stopping_ = true;
      abort_pending(why); // supervisor_ready callers learn why
      return stop_statics_from(0, [this, why] { self_->quit(why); });
    }
    if (!*r) {
      if (c.spec.restart == restart_type::temporary) {
        table_->statics.erase(table_->statics.begin() + static_cast<ptrdiff_t>(i));
        return init_static(i);
      }
      c.status = child_status::undefined;
    } else {
      mark_running(c, *r);
    }
    init_static(i + 1);
  });
}

void supervisor_state::stop_statics_from(size_t first, std::function<void()> k) {
  // Reverse start order: the last started stops first.
  auto& statics = table_->statics;
  for (size_t i = statics.size(); i > first; --i) {
    auto& c = statics[i - 1];
    if (c.status == child_status::running && c.pid) {
      auto pid = c.pid;
      auto spec = c.spec;
      c.pid = caf::actor{};
      c.status = child_status::undefined;
      return stop_process(pid, spec,
                          [this, first, k = std::move(k)] { stop_statics_from(first, k); });
    }
    c.pid = caf::actor{};
    c.status = child_status::undefined;
  }
  k();
}

void supervisor_state::start_statics_from(size_t i,
                                          std::function<void(std::optional<std::string>)> k) {
  auto& statics = table_->statics;
  if (i >= statics.size())
    return k(std::nullopt);
  start_process(statics[i].spec, caf::message{},
                [this, i, k = std::move(k)](caf::expected<caf::actor> r) {
                  auto& c = table_->statics[i];
                  if (!r) {
                    report(report_kind::start_error, c.spec.id, caf::actor_addr{}, r.error());
                    c.status = child_status::restarting;
                    return k(c.spec.id);
                  }
                  if (*r) {
                    mark_running(c, *r);
                  } else {
                    c.status = child_status::undefined;
                  }
                  start_statics_from(i + 1, k);
                });
}

void supervisor_state::handle_static_exit(caf::actor_id id, caf::error reason) {
  auto idx = table_->index_of_pid(id);
  if (!idx)
    return op_done(); // no longer a child of ours (stopped or replaced meanwhile)
  auto& c = table_->statics[*idx];
  auto addr = c.pid.address();
  c.pid = caf::actor{};
  c.status = child_status::undefined;
  switch (c.spec.restart) {
  case restart_type::temporary: {
    if (!is_normal_exit(reason))
      report(report_kind::child_terminated, c.spec.id, addr, reason);
    auto spec = c.spec;
    table_->statics.erase(table_->statics.begin() + static_cast<ptrdiff_t>(*idx));
    check_auto_shutdown(spec);
    return;
  }
  case restart_type::transient:
    if (is_normal_exit(reason))
      return check_auto_shutdown(c.spec);
    [[fallthrough]];
  case restart_type::permanent: {
    report(report_kind::child_terminated, c.spec.id, addr, reason);
    auto child_id = c.spec.id;
    if (may_restart(child_id, addr, reason))
      restart_static(child_id);
    return;
  }
  }
}

void supervisor_state::restart_static(const std::string& id) {
  auto idx = table_->index_of(id);
  if (!idx)
    return op_done();
  switch (flags_.strategy) {
  case strategy::one_for_all:
    return restart_static_group(0);
  case strategy::rest_for_one:
    return restart_static_group(*idx);
  default:
    break;
  }
  start_process(table_->statics[*idx].spec, caf::message{},
                [this, id](caf::expected<caf::actor> r) {
                  auto idx = table_->index_of(id);
                  if (!idx)
                    return op_done();
                  auto& c = table_->statics[*idx];
                  if (!r) {
                    // OTP retries a failed restart through the mailbox, so that
                    // other requests (a shutdown, say) get their turn first.
                    report(report_kind::start_error, id, caf::actor_addr{}, r.error());
                    c.status = child_status::restarting;
                    self_->send(self_, try_again_atom::value, id);
                  } else if (*r) {
                    mark_running(c, *r);
                  } else {
                    c.status = child_status::undefined;
                  }
                  op_done();
                });
}

void supervisor_state::restart_static_group(size_t first) {
  stop_statics_from(first, [this, first] {
    // Temporary children stopped for a sibling's sake are not restarted.
    auto& statics = table_->statics;
    for (size_t i = statics.size(); i > first; --i)
      if (statics[i - 1].spec.restart == restart_type::temporary)
        statics.erase(statics.begin() + static_cast<ptrdiff_t>(i - 1));
    start_statics_from(first, [this](std::optional<std::string> failed) {
      if (failed)
        self_->send(self_, try_again_atom::value, *failed);
      op_done();
    });
  });
}

// -- dynamic children ---------------------------------------------------------

void supervisor_state::handle_dynamic_exit(caf::actor_id id, caf::error reason) {
  auto i = table_->dynamics.find(id);
  if (i == table_->dynamics.end())
    return op_done();
  auto addr = i->second.pid.address();
  bool restart = false;
  switch (dynamic_spec_.restart) {
  case restart_type::temporary:
    if (!is_normal_exit(reason))
      report(report_kind::child_terminated, {}, addr, reason);
    break;
  case restart_type::transient:
    if (is_normal_exit(reason))
      break;
    [[fallthrough]];
  case restart_type::permanent:
    report(report_kind::child_terminated, {}, addr, reason);
    restart = true;
    break;
  }
  if (!restart) {
    table_->dynamics.erase(i);
    return op_done();
  }
  i->second.status = child_status::restarting;
  if (may_restart({}, addr, reason))
    restart_dynamic(id);
}

void supervisor_state::restart_dynamic(caf::actor_id id) {
  auto i = table_->dynamics.find(id);
  if (i == table_->dynamics.end())
    return op_done();
  auto args = i->second.args;
  start_process(dynamic_spec_, args, [this, id, args](caf::expected<caf::actor> r) {
    auto i = table_->dynamics.find(id);
    if (i == table_->dynamics.end())
      return op_done();
    if (!r) {
      report(report_kind::start_error, {}, caf::actor_addr{}, r.error());
      self_->send(self_, try_again_atom::value, id);
      return op_done();
    }
    table_->dynamics.erase(i);
    if (*r) {
      table_->dynamics.emplace((*r).id(), dynamic_child{*r, args, child_status::running});
      report(report_kind::child_started, {}, (*r).address());
    }
    op_done();
  });
}

void supervisor_state::stop_all_dynamic(std::function<void()> k) {
  // OTP stops simple_one_for_one children all at once under one timer, so a
  // pool of thousands stops in about one shutdown time, not thousands.
  std::vector<caf::actor> pids;
  for (auto& kv : table_->dynamics)
    if (kv.second.status == child_status::running)
      pids.push_back(kv.second.pid);
  table_->dynamics.clear();
  if (pids.empty())
    return k();
  auto sd = dynamic_spec_.effective_shutdown();
  auto brutal = sd.mode == shutdown_spec::kind::brutal_kill;
  auto remaining = std::make_shared<size_t>(pids.size());
  auto unexpected =
      std::make_shared<std::unordered_map<std::string, std::pair<caf::error, uint64_t>>>();
  auto timer = std::make_shared<uint64_t>(0);
  for (auto& pid : pids)
    self_->send_exit(pid, brutal ? caf::exit_reason::kill : caf::exit_reason::user_shutdown);
  if (sd.mode == shutdown_spec::kind::timeout)
    *timer = arm_timer(sd.timeout, [this, pids] {
      for (auto& pid : pids)
        if (down_waiters_.count(pid.id()) > 0)
          self_->send_exit(pid, caf::exit_reason::kill);
    });
  for (auto& pid : pids) {
    await_down(pid.id(), [this, remaining, unexpected, timer, k](const caf::error& reason) {
      if (!expected_stop(reason, dynamic_spec_)) {
        auto& slot = (*unexpected)[to_string(reason)];
        slot.first = reason;
        ++slot.second;
      }
      if (--*remaining > 0)
        return;
      timers_.erase(*timer);
      for (auto& kv : *unexpected)
        report(report_kind::shutdown_error, {}, caf::actor_addr{}, kv.second.first,
               kv.second.second);
      k();
    });
  }
}

// -- shared paths -------------------------------------------------------------

bool supervisor_state::may_restart(const std::string& child_id, const caf::actor_addr& child,
                                   const caf::error& reason) {
  if (intensity_.add_restart(std::chrono::steady_clock::now())) {
    report(report_kind::restarting, child_id, child, reason);
    return true;
  }
  report(report_kind::max_intensity_reached, child_id, child, reason);
  shutdown(shutdown_reason("reached_max_restart_intensity"));
  return false;
}

void supervisor_state::check_auto_shutdown(const child_spec& spec) {
  if (!spec.significant || flags_.auto_shutdown == auto_shutdown::never)
    return op_done();
  if (flags_.auto_shutdown == auto_shutdown::all_significant)
    for (auto& c : table_->statics)
      if (c.spec.significant && c.status == child_status::running)
        return op_done();
  shutdown(shutdown_reason("auto_shutdown"));
}

void supervisor_state::shutdown(caf::error reason) {
  if (stopping_)
    return;
  stopping_ = true;
  abort_pending(reason);
  auto finish = [this, reason] {
    report(report_kind::supervisor_terminated, {}, caf::actor_addr{}, reason);
    self_->quit(reason);
  };
  if (dynamic())
    stop_all_dynamic(finish);
  else
    stop_statics_from(0, finish);
}

void supervisor_state::handle_exit(caf::actor_id id) {
  auto i = unhandled_downs_.find(id);
  if (i == unhandled_downs_.end())
    return op_done(); // a stop already consumed this down
  auto reason = std::move(i->second);
  unhandled_downs_.erase(i);
  if (dynamic())
    handle_dynamic_exit(id, std::move(reason));
  else
    handle_static_exit(id, std::move(reason));
}

// -- the child API ------------------------------------------------------------

void supervisor_state::api_start_child(child_spec spec,
                                       caf::typed_response_promise<start_child_result> rp) {
  if (dynamic()) {
    rp.deliver(caf::make_error(sup_errc::simple_one_for_one));
    return op_done();
  }
  if (auto err = check_childspecs({spec}, flags_)) {
    rp.deliver(std::move(err));
    return op_done();
  }
  if (auto idx = table_->index_of(spec.id)) {
    auto& c = table_->statics[*idx];
    if (c.status == child_status::running)
      rp.deliver(caf::make_error(sup_errc::already_started, c.pid));
    else
      rp.deliver(caf::make_error(sup_errc::already_present));
    return op_done();
  }
  start_process(spec, caf::message{}, [this, spec, rp](caf::expected<caf::actor> r) mutable {
    if (!r) {
      rp.deliver(std::move(r.error()));
      return op_done();
    }
    if (!*r) {
      if (spec.restart != restart_type::temporary)
        table_->statics.push_back(static_child{spec, caf::actor{}, child_status::undefined});
      rp.deliver(start_child_result{});
      return op_done();
    }
    table_->statics.push_back(static_child{spec, *r, child_status::running});
    report(report_kind::child_started, spec.id, (*r).address());
    rp.deliver(start_child_result{*r});
    op_done();
  });
}

void supervisor_state::api_start_dynamic(caf::message args,
                                         caf::typed_response_promise<start_child_result> rp) {
  if (!dynamic()) {
    rp.deliver(
        caf::make_error(sup_errc::bad_start_spec, "extra arguments need simple_one_for_one"));
    return op_done();
  }
  start_process(dynamic_spec_, args, [this, args, rp](caf::expected<caf::actor> r) mutable {
    if (!r) {
      rp.deliver(std::move(r.error()));
      return op_done();
    }
    if (*r) {
      // Temporary children are never restarted: their arguments need no keeping.
      auto kept = dynamic_spec_.restart == restart_type::temporary ? caf::message{} : args;
      table_->dynamics.emplace((*r).id(),
                               dynamic_child{*r, std::move(kept), child_status::running});
      report(report_kind::child_started, {}, (*r).address());
    }
    rp.deliver(start_child_result{*r});
    op_done();
  });
}

void supervisor_state::api_terminate(const std::string& id,
                                     caf::typed_response_promise<caf::ok_atom> rp) {
  if (dynamic()) {
    rp.deliver(caf::make_error(sup_errc::simple_one_for_one));
    return op_done();
  }
  auto idx = table_->index_of(id);
  if (!idx) {
    rp.deliver(caf::make_error(sup_errc::not_found));
    return op_done();
  }
  auto done = [this, id, rp]() mutable {
    // A terminated child keeps its spec (restart_child can start it again),
    // except a temporary one, which is gone for good.
    if (auto idx = table_->index_of(id)) {
      auto& c = table_->statics[*idx];
      c.pid = caf::actor{};
      c.status = child_status::undefined;
      if (c.spec.restart == restart_type::temporary)
        table_->statics.erase(table_->statics.begin() + static_cast<ptrdiff_t>(*idx));
    }
    rp.deliver(caf::ok_atom::value);
    op_done();
  };
  auto& c = table_->statics[*idx];
  if (c.status != child_status::running)
    return done();
  auto pid = c.pid;
  c.pid = caf::actor{};
  c.status = child_status::undefined;
  stop_process(pid, c.spec, done);
}

void supervisor_state::api_terminate_pid(const caf::actor& pid,
                                         caf::typed_response_promise<caf::ok_atom> rp) {
  if (!dynamic() || !pid) {
    rp.deliver(caf::make_error(sup_errc::not_found));
    return op_done();
  }
  auto i = table_->dynamics.find(pid.id());
  if (i == table_->dynamics.end()) {
    rp.deliver(caf::make_error(sup_errc::not_found));
    return op_done();
  }
  auto running = i->second.status == child_status::running;
  table_->dynamics.erase(i);
  if (!running) {
    rp.deliver(caf::ok_atom::value);
    return op_done();
  }
  stop_process(pid, dynamic_spec_, [this, rp]() mutable {
    rp.deliver(caf::ok_atom::value);
    op_done();
  });
}

void supervisor_state::api_restart(const std::string& id,
                                   caf::typed_response_promise<start_child_result> rp) {
  if (dynamic()) {
    rp.deliver(caf::make_error(sup_errc::simple_one_for_one));
    return op_done();
  }
  auto idx = table_->index_of(id);
  if (!idx) {
    rp.deliver(caf::make_error(sup_errc::not_found));
    return op_done();
  }
  auto& c = table_->statics[*idx];
  if (c.status != child_status::undefined) {
    rp.deliver(caf::make_error(c.status == child_status::running ? sup_errc::running
                                                                 : sup_errc::restarting));
    return op_done();
  }
  start_process(c.spec, caf::message{}, [this, id, rp](caf::expected<caf::actor> r) mutable {
    auto idx = table_->index_of(id);
    if (!r) {
      rp.deliver(std::move(r.error()));
      return op_done();
    }
    if (idx && *r) {
      mark_running(table_->statics[*idx], *r);
    }
    rp.deliver(start_child_result{*r});
    op_done();
  });
}

void supervisor_state::api_delete(const std::string& id,
                                  caf::typed_response_promise<caf::ok_atom> rp) {
  if (dynamic()) {
    rp.deliver(caf::make_error(sup_errc::simple_one_for_one));
  } else if (auto idx = table_->index_of(id); !idx) {
    rp.deliver(caf::make_error(sup_errc::not_found));
  } else if (auto st = table_->statics[*idx].status; st != child_status::undefined) {
    rp.deliver(
        caf::make_error(st == child_status::running ? sup_errc::running : sup_errc::restarting));
  } else {
    table_->statics.erase(table_->statics.begin() + static_cast<ptrdiff_t>(*idx));
    rp.deliver(caf::ok_atom::value);
  }
  op_done();
}

std::vector<child_info> supervisor_state::which_children() const {
  std::vector<child_info> out;
  if (dynamic()) {
    out.reserve(table_->dynamics.size());
    for (auto& kv : table_->dynamics)
      out.push_back(child_info{{}, kv.second.pid, kv.second.status, dynamic_spec_.type});
    return out;
  }
  for (auto& c : table_->statics)
    out.push_back(child_info{c.spec.id, c.pid, c.status, c.spec.type});
  return out;
}

child_counts supervisor_state::count_children() const {
  child_counts n;
  if (dynamic()) {
    n.specs = table_->dynamics.size();
    for (auto& kv : table_->dynamics)
      if (kv.second.status == child_status::running)
        ++n.active;
    (dynamic_spec_.type == child_type::supervisor ? n.supervisors : n.workers) = n.specs;
    return n;
  }
  n.specs = table_->statics.size();
  for (auto& c : table_->statics) {
    if (c.status == child_status::running)
      ++n.active;
    ++(c.spec.type == child_type::supervisor ? n.supervisors : n.workers);
  }
  return n;
}

// -- the behavior -------------------------------------------------------------

caf::behavior supervisor_state::make_behavior(supervisor_config cfg) {
  name_ = std::move(cfg.name);
  flags_ = cfg.flags;
  intensity_ = restart_intensity{flags_.intensity, flags_.period};
  reports_ = cfg.reports ? cfg.reports : report_group(self_->system());

  // Whatever ends this actor, kill included, ends its children too.
  self_->attach_functor([table = table_, addr = self_->address()](const caf::error& reason) {
    auto why = reason_for_orphans(reason);
    table->for_each_running([&](const caf::actor& child) { send_exit_from(addr, child, why); });
  });
  self_->set_down_handler([this](caf::down_msg& dm) { on_down(dm); });
  // A supervisor traps exits: an exit from its parent (or anyone) is an
  // orderly shutdown of its children, then its own exit with that reason.
  self_->set_exit_handler([this](caf::exit_msg& em) {
    if (!em.reason || em.reason == caf::exit_reason::normal)
      return;
    enqueue_front([this, reason = em.reason] { shutdown(reason); });
  });

  // The first operation: start the children (or refuse a bad spec). It runs
  // when the kick below arrives, not inside this behavior factory: quitting
  // from the factory leaves a CAF 0.17 actor half-terminated. Requests that
  // arrive before the kick queue up behind it, so they see the children running.
  if (auto err = check_childspecs(cfg.children, flags_)) {
    ops_.push_back(pending_op{[this, err] {
                                stopping_ = true;
                                abort_pending(err);
                                self_->quit(err);
                              },
                              {}});
  } else if (dynamic()) {
    dynamic_spec_ = std::move(cfg.children.front());
  } else {
    for (auto& spec : cfg.children)
      table_->statics.push_back(
          static_child{std::move(spec), caf::actor{}, child_status::undefined});
    ops_.push_back(pending_op{[this] { init_static(0); }, {}});
  }
  self_->send(self_, kick_atom::value);

  using start_rp = caf::typed_response_promise<start_child_result>;
  using ok_rp = caf::typed_response_promise<caf::ok_atom>;
  return {
      [this](start_child_atom, child_spec& spec) {
        return queue_request<start_child_result>(
            [this, spec = std::move(spec)](start_rp& rp) { api_start_child(spec, rp); });
      },
      [this](start_child_atom, caf::message& args) {
        return queue_request<start_child_result>(
            [this, args = std::move(args)](start_rp& rp) { api_start_dynamic(args, rp); });
      },
      [this](terminate_child_atom, std::string& id) {
        return queue_request<caf::ok_atom>(
            [this, id = std::move(id)](ok_rp& rp) { api_terminate(id, rp); });
      },
      [this](terminate_child_atom, caf::actor& pid) {
        return queue_request<caf::ok_atom>(
            [this, pid = std::move(pid)](ok_rp& rp) { api_terminate_pid(pid, rp); });
      },
      [this](restart_child_atom, std::string& id) {
        return queue_request<start_child_result>(
            [this, id = std::move(id)](start_rp& rp) { api_restart(id, rp); });
      },
      [this](delete_child_atom, std::string& id) {
        return queue_request<caf::ok_atom>(
            [this, id = std::move(id)](ok_rp& rp) { api_delete(id, rp); });
      },
      [this](which_children_atom) {
        return queue_request<std::vector<child_info>>(
            [this](caf::typed_response_promise<std::vector<child_info>>& rp) {
              rp.deliver(which_children());
              op_done();
            });
      },
      [this](count_children_atom) {
        return queue_request<child_counts>([this](caf::typed_response_promise<child_counts>& rp) {
          rp.deliver(count_children());
          op_done();
        });
      },
      [this](get_childspec_atom, std::string& id) {
        return queue_request<child_spec>(
            [this, id = std::move(id)](caf::typed_response_promise<child_spec>& rp) {
              if (dynamic())
                rp.deliver(caf::make_error(sup_errc::simple_one_for_one));
              else if (auto idx = table_->index_of(id))
                rp.deliver(table_->statics[*idx].spec);
              else
                rp.deliver(caf::make_error(sup_errc::not_found));
              op_done();
            });
      },
      [this](get_childspec_atom, caf::actor& pid) {
        return queue_request<child_spec>(
            [this, pid = std::move(pid)](caf::typed_response_promise<child_spec>& rp) {
              if (dynamic() && pid && table_->dynamics.count(pid.id()) > 0)
                rp.deliver(dynamic_spec_);
              else if (auto idx = pid ? table_->index_of_pid(pid.id()) : std::nullopt)
                rp.deliver(table_->statics[*idx].spec);
              else
                rp.deliver(caf::make_error(sup_errc::not_found));
              op_done();
            });
      },
      [this](supervisor_ready_atom) {
        // Queued behind the start of the children: answered once they all run,
        // or with the reason they did not.
        return queue_request<caf::ok_atom>([this](ok_rp& rp) {
          rp.deliver(caf::ok_atom::value);
          op_done();
        });
      },
      [this](try_again_atom, std::string& id) {
        enqueue([this, id = std::move(id)] {
          auto idx = table_->index_of(id);
          if (!idx || table_->statics[*idx].status != child_status::restarting)
            return op_done();
          if (may_restart(id, caf::actor_addr{}, caf::error{}))
            restart_static(id);
        });
      },
      [this](try_again_atom, caf::actor_id id) {
        enqueue([this, id] {
          auto i = table_->dynamics.find(id);
          if (i == table_->dynamics.end() || i->second.status != child_status::restarting)
            return op_done();
          if (may_restart({}, caf::actor_addr{}, caf::error{}))
            restart_dynamic(id);
        });
      },
      [this](kick_atom) { pump(); },
      [this](stop_timer_atom, uint64_t token) {
        if (auto i = timers_.find(token); i != timers_.end()) {
          auto f = std::move(i->second);
          timers_.erase(i);
          f();
        }
      },
  };
}

} // namespace cafmcp::supervision::detail
