#pragma once
// The supervisor's state machine, modelled on OTP's supervisor.erl.
//
// OTP's supervisor blocks inside a callback while it stops or starts children
// (waiting for 'DOWN', or for init/1 to return). A CAF actor must not block, so
// every such step here is a continuation, and whatever the supervisor must do
// (an API call, a child's exit, a retry) is an operation in a FIFO queue that
// runs one at a time. That keeps OTP's ordering: a request made after a crash
// sees the restart done, and nothing interleaves with a half-done restart.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/group.hpp>
#include <caf/system_messages.hpp>

#include "cafmcp/actors/supervision/child_table.hpp"
#include "cafmcp/actors/supervision/restart_intensity.hpp"
#include "cafmcp/actors/supervision/supervisor.hpp"
#include "cafmcp/actors/supervision/supervisor_report.hpp"

namespace cafmcp::supervision::detail {

class supervisor_state {
public:
  explicit supervisor_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(supervisor_config cfg);

private:
  // An operation, and what to do with it if the supervisor stops before it
  // runs (answer its caller instead of leaving it waiting forever).
  struct pending_op {
    std::function<void()> run;
    std::function<void(const caf::error&)> abort;
  };
  using on_started = std::function<void(caf::expected<caf::actor>)>;

  bool dynamic() const { return flags_.strategy == strategy::simple_one_for_one; }

  // -- the operation queue ----------------------------------------------------
  void enqueue(std::function<void()> run, std::function<void(const caf::error&)> abort = {});
  void enqueue_front(std::function<void()> run);
  void pump();
  void op_done();
  void abort_pending(const caf::error& reason);
  // An API request: queued like any operation; its caller gets the stop reason
  // if the supervisor stops before the request runs.
  template <class T, class F>
  caf::result<T> queue_request(F f);

  // -- events -----------------------------------------------------------------
  void on_down(caf::down_msg& dm);
  void await_down(caf::actor_id id, std::function<void(const caf::error&)> k);
  uint64_t arm_timer(std::chrono::milliseconds after, std::function<void()> f);
  void report(report_kind kind, const std::string& child_id, const caf::actor_addr& child,
              caf::error reason = caf::error{}, uint64_t count = 1);

  // -- starting and stopping one process --------------------------------------
  // k gets the running child, an invalid handle for "ignore", or the error.
  void start_process(const child_spec& spec, const caf::message& args, on_started k);
  void stop_process(const caf::actor& pid, const child_spec& spec, std::function<void()> k);
  bool expected_stop(const caf::error& reason, const child_spec& spec) const;

  // -- static children (one_for_one, one_for_all, rest_for_one) ---------------
  void mark_running(static_child& c, const caf::actor& pid);
  void init_static(size_t i);
  void stop_statics_from(size_t first, std::function<void()> k);
  void start_statics_from(size_t i, std::function<void(std::optional<std::string>)> k);
  void handle_static_exit(caf::actor_id id, caf::error reason);
  void restart_static(const std::string& id);
  void restart_static_group(size_t first);

  // -- dynamic children (simple_one_for_one) ----------------------------------
  void handle_dynamic_exit(caf::actor_id id, caf::error reason);
  void restart_dynamic(caf::actor_id id);
  void stop_all_dynamic(std::function<void()> k);

  // -- shared paths -----------------------------------------------------------
  // Records a restart; false (after starting the shutdown) when over intensity.
  bool may_restart(const std::string& child_id, const caf::actor_addr& child,
                   const caf::error& reason);
  void check_auto_shutdown(const child_spec& spec);
  void shutdown(caf::error reason);
  void handle_exit(caf::actor_id id);

  // -- the child API (each runs as an operation) ------------------------------
  void api_start_child(child_spec spec, caf::typed_response_promise<start_child_result> rp);
  void api_start_dynamic(caf::message args, caf::typed_response_promise<start_child_result> rp);
  void api_terminate(const std::string& id, caf::typed_response_promise<caf::ok_atom> rp);
  void api_terminate_pid(const caf::actor& pid, caf::typed_response_promise<caf::ok_atom> rp);
  void api_restart(const std::string& id, caf::typed_response_promise<start_child_result> rp);
  void api_delete(const std::string& id, caf::typed_response_promise<caf::ok_atom> rp);
  std::vector<child_info> which_children() const;
  child_counts count_children() const;

  caf::event_based_actor* self_;
  std::string name_;
  supervisor_flags flags_;
  child_spec dynamic_spec_; // simple_one_for_one only
  caf::group reports_;
  std::shared_ptr<child_table> table_ = std::make_shared<child_table>();
  restart_intensity intensity_{1, std::chrono::milliseconds{5000}};

  std::deque<pending_op> ops_;
  bool busy_ = false;
  bool pumping_ = false;
  bool stopping_ = false;

  // Continuations waiting for a child's down message.
  std::unordered_map<caf::actor_id, std::function<void(const caf::error&)>> down_waiters_;
  // Downs no continuation waited for: their exit operation is queued. A stop
  // that reaches such a child first takes the reason from here.
  std::unordered_map<caf::actor_id, caf::error> unhandled_downs_;
  // Shutdown timers; delayed_send cannot be cancelled in CAF 0.17, so a fired
  // timer whose token is gone does nothing.
  std::unordered_map<uint64_t, std::function<void()>> timers_;
  uint64_t next_timer_ = 0;
};

} // namespace cafmcp::supervision::detail
