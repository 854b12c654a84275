#include "cafmcp/actors/supervision/supervisor_api.hpp"

#include <future>
#include <memory>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/sup_error.hpp"

namespace cafmcp::supervision {

namespace {

// Sends `msg` to `sup` and blocks until it answers or dies. A one-shot
// event-based actor does the asking: it monitors the supervisor, so a caller
// is never left waiting on a supervisor that was killed meanwhile.
template <class T>
caf::expected<T> call(caf::actor_system& sys, const caf::actor& sup, caf::message msg) {
  if (!sup)
    return caf::make_error(caf::sec::invalid_argument);
  auto outcome = std::make_shared<std::promise<caf::expected<T>>>();
  auto future = outcome->get_future();
  sys.spawn([sup, msg, outcome](caf::event_based_actor* self) -> caf::behavior {
    auto settled = std::make_shared<bool>(false);
    auto settle = [self, outcome, settled](caf::expected<T> x) {
      if (*settled)
        return;
      *settled = true;
      outcome->set_value(std::move(x));
      self->quit();
    };
    self->monitor(sup);
    self->set_down_handler([settle](caf::down_msg& dm) {
      settle(dm.reason ? dm.reason : caf::make_error(caf::sec::request_receiver_down));
    });
    self->request(sup, caf::infinite, msg)
        .then([settle](T& x) { settle(std::move(x)); },
              [settle](caf::error& e) {
                // A supervisor that died before answering: its down message
                // follows, and carries the reason worth returning.
                if (e != caf::sec::request_receiver_down)
                  settle(std::move(e));
              });
    // A behavior keeps this actor alive until it settles: without one, CAF
    // ends it once no response is pending, before that down message arrives.
    return {[](caf::ok_atom) {}};
  });
  return future.get();
}

caf::error call_ok(caf::actor_system& sys, const caf::actor& sup, caf::message msg) {
  auto r = call<caf::ok_atom>(sys, sup, std::move(msg));
  return r ? caf::error{} : r.error();
}

// Waits for the down message of an actor `self` monitors.
caf::error await_down(caf::scoped_actor& self, const caf::actor& who) {
  caf::error reason;
  bool done = false;
  self->receive_while([&] { return !done; })([&](caf::down_msg& dm) {
    if (dm.source == who.address()) {
      reason = std::move(dm.reason);
      done = true;
    }
  });
  return reason;
}

} // namespace

caf::expected<caf::actor> start_supervisor(caf::actor_system& sys, supervisor_config cfg) {
  auto sup = spawn_supervisor(sys, std::move(cfg));
  if (auto ready = call<caf::ok_atom>(sys, sup, caf::make_message(supervisor_ready_atom::value));
      !ready)
    return ready.error();
  return sup;
}

caf::expected<start_child_result> start_child(caf::actor_system& sys, const caf::actor& sup,
                                              child_spec spec) {
  return call<start_child_result>(sys, sup,
                                  caf::make_message(start_child_atom::value, std::move(spec)));
}

caf::expected<start_child_result> start_child(caf::actor_system& sys, const caf::actor& sup,
                                              caf::message args) {
  return call<start_child_result>(sys, sup,
                                  caf::make_message(start_child_atom::value, std::move(args)));
}

caf::error terminate_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id) {
  return call_ok(sys, sup, caf::make_message(terminate_child_atom::value, id));
}

caf::error terminate_child(caf::actor_system& sys, const caf::actor& sup, const caf::actor& child) {
  return call_ok(sys, sup, caf::make_message(terminate_child_atom::value, child));
}

caf::expected<start_child_result> restart_child(caf::actor_system& sys, const caf::actor& sup,
                                                const std::string& id) {
  return call<start_child_result>(sys, sup, caf::make_message(restart_child_atom::value, id));
}

caf::error delete_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id) {
  return call_ok(sys, sup, caf::make_message(delete_child_atom::value, id));
}

caf::expected<std::vector<child_info>> which_children(caf::actor_system& sys,
                                                      const caf::actor& sup) {
  return call<std::vector<child_info>>(sys, sup, caf::make_message(which_children_atom::value));
}

caf::expected<child_counts> count_children(caf::actor_system& sys, const caf::actor& sup) {
  return call<child_counts>(sys, sup, caf::make_message(count_children_atom::value));
}

caf::expected<child_spec> get_childspec(caf::actor_system& sys, const caf::actor& sup,
                                        const std::string& id) {
  return call<child_spec>(sys, sup, caf::make_message(get_childspec_atom::value, id));
}

caf::error stop_supervisor(caf::actor_system& sys, const caf::actor& sup) {
  if (!sup)
    return caf::make_error(caf::sec::invalid_argument);
  caf::scoped_actor self{sys};
  self->monitor(sup);
  self->send_exit(sup, caf::exit_reason::user_shutdown);
  return await_down(self, sup);
}

} // namespace cafmcp::supervision
