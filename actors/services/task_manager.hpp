// The task manager: MCP tasks (2025-11-25) with their status machine, results, tasks/result
// waiters, status subscribers, per-requestor limits and TTL cleanup. Message vocabulary:
// task_messages.hpp.
//
// Crash and restart: task records live in a task_store owned one level up and survive. Pending
// tasks/result requests cannot (a response promise belongs to the actor that made it): a
// functor attached to each incarnation answers them with service_restarted when it dies, for
// any reason, kill included, so no waiter hangs; they ask the new incarnation again and get the
// same task. Status subscribers are kept in the store and re-monitored.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/monitor_set.hpp"
#include "cafmcp/actors/services/service_clock.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/actors/services/task_store.hpp"
#include "cafmcp/actors/supervision/child_spec.hpp"

namespace cafmcp::services {

// From the node config: limits.default_ttl_ms = tasks.default_ttl,
// limits.max_active_per_owner = tasks.max_per_session.
struct task_settings {
  task_limits limits;
  std::chrono::milliseconds sweep_interval{1000};
  clock_fn clock = system_clock_ms;
  std::shared_ptr<service_ref> ref; // optional: where callers find the current incarnation
};

// The tasks/result requests waiting for a task to end, by task id. Shared with the functor
// that answers them when the manager dies (its state is gone by then).
struct task_waiters {
  std::unordered_map<std::string, std::vector<caf::response_promise>> by_task;
};

struct task_manager_state {
  static inline const char* name = "task_manager";
  std::shared_ptr<task_store> store;
  task_settings settings;
  std::shared_ptr<task_waiters> waiters;
  monitor_set monitors; // status subscribers
  std::uint64_t sweep_token = 0;
};

// `sys.spawn(task_manager, store, settings)`. A null store stops it with invalid_argument.
caf::behavior task_manager(caf::stateful_actor<task_manager_state>* self,
                           std::shared_ptr<task_store> store, task_settings settings);

supervision::child_spec task_manager_spec(std::shared_ptr<task_store> store, task_settings settings,
                                          std::string id = "task_manager");

} // namespace cafmcp::services
