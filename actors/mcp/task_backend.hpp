#pragma once
// Where a session runs MCP tasks (checklist §5, experimental in 2025-11-25):
// any actor that speaks the task_manager's vocabulary
// (actors/services/task_messages.hpp), found through a service_ref so that a
// restarted task manager is found again (its task records survive in its
// store). That vocabulary is the interface: a node wires the supervised
// task_manager here; without a backend the server declares no tasks
// capability and serves tools/call as plain requests (ignoring params.task,
// as the spec asks of a receiver without the capability).
//
// Tasks are owned by the session that created them (owner = session id):
// tasks/get, tasks/result, tasks/list and tasks/cancel of another session
// see nothing, so a task id alone never grants access.
//
// The next revision moves tasks into an extension with polling instead of a
// blocking tasks/result; keeping the session's task code in one file
// (server_tasks.cpp) behind this backend is what makes that swap local.

#include <chrono>
#include <cstdint>
#include <memory>

#include <caf/actor.hpp>
#include <caf/timespan.hpp>

#include "cafmcp/actors/services/service_ref.hpp"

namespace cafmcp::mcp {

struct task_options {
  // Timeout of each request to the task service except tasks/result, which
  // waits until the task is terminal.
  caf::timespan service_timeout = std::chrono::seconds{5};
  // pollInterval suggested to clients; 0: the service's default.
  int64_t poll_interval_ms = 0;
};

class task_backend {
public:
  explicit task_backend(std::shared_ptr<services::service_ref> ref, task_options options = {})
      : ref_(std::move(ref)), options_(options) {}

  // The current task service, or an invalid handle while it restarts.
  caf::actor service() const { return ref_ ? ref_->get() : caf::actor{}; }

  const task_options& options() const noexcept { return options_; }

private:
  std::shared_ptr<services::service_ref> ref_;
  task_options options_;
};

} // namespace cafmcp::mcp
