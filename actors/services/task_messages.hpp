// The task manager's message vocabulary and its task record (MCP tasks, 2025-11-25). Atom
// texts are global in CAF, so ours carry a "tk_" prefix.
//
// The requestor side (the server actor on behalf of a client; `owner` is the requestor's scope,
// the session id or better the authenticated subject, and every lookup is confined to it: a
// task of another owner reads as not_found, so its existence does not leak):
//   (tk_create_atom, std::string owner, std::int64_t ttl_ms, std::int64_t poll_interval_ms)
//       -> task_record (status working, a fresh CSPRNG task id)
//       ttl_ms <= 0: the default ttl; larger than max_ttl: max_ttl (the receiver decides).
//       poll_interval_ms <= 0: the default. errors: at_capacity (max active tasks of this owner,
//       or max_tasks in all), invalid_argument.
//   (tk_get_atom, std::string owner, std::string task_id)     -> task_record | not_found
//   (tk_list_atom, std::string owner, std::string cursor)     -> task_page | invalid_cursor
//       Oldest first; cursor "" is the first page.
//   (tk_cancel_atom, std::string owner, std::string task_id)  -> task_record (cancelled)
//       The task is cancelled before the answer is sent. errors: not_found, already_terminal.
//   (tk_result_atom, std::string owner, std::string task_id)  -> task_record (terminal)
//       Answered once the task is terminal (at once if it is): tasks/result. The record carries
//       the outcome. errors: not_found, task_expired (the ttl ran out first), service_restarted
//       (the manager died meanwhile: ask again; the task itself is kept).
// The executor side (whoever runs the underlying request):
//   (tk_update_atom, std::string task_id, task_status status, std::string message)
//       -> task_record. For working, input_required and cancelled.
//   (tk_finish_atom, std::string task_id, task_status status, task_outcome outcome)
//       -> task_record. status completed or failed, with what the request returned.
//       errors of both: not_found, already_terminal, illegal_transition, invalid_argument.
// Notifications (notifications/tasks/status):
//   (tk_watch_atom, std::string owner, caf::actor subscriber)   -> caf::ok_atom
//   (tk_unwatch_atom, std::string owner, caf::actor subscriber) -> caf::ok_atom
//       The subscriber receives (tk_status_atom, task_record) on every status change of that
//       owner's tasks (not on creation). Dead subscribers are dropped.
// Housekeeping:
//   (tk_count_atom)                      -> std::size_t (tasks kept, terminal ones included)
//   (tk_count_atom, std::string owner)   -> std::size_t (non-terminal tasks of the owner)
//   (tk_sweep_atom)                      -> std::size_t (tasks removed past their ttl; also
//                                            runs by itself every sweep_interval)
//   (tk_waiting_atom)                    -> std::size_t (pending tasks/result requests)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "cafmcp/actors/services/task_status.hpp"

namespace cafmcp::services {

using tk_create_atom = caf::atom_constant<caf::atom("tk_create")>;
using tk_get_atom = caf::atom_constant<caf::atom("tk_get")>;
using tk_list_atom = caf::atom_constant<caf::atom("tk_list")>;
using tk_cancel_atom = caf::atom_constant<caf::atom("tk_cancel")>;
using tk_result_atom = caf::atom_constant<caf::atom("tk_result")>;
using tk_update_atom = caf::atom_constant<caf::atom("tk_update")>;
using tk_finish_atom = caf::atom_constant<caf::atom("tk_finish")>;
using tk_watch_atom = caf::atom_constant<caf::atom("tk_watch")>;
using tk_unwatch_atom = caf::atom_constant<caf::atom("tk_unwatch")>;
using tk_status_atom = caf::atom_constant<caf::atom("tk_status")>;
using tk_count_atom = caf::atom_constant<caf::atom("tk_count")>;
using tk_sweep_atom = caf::atom_constant<caf::atom("tk_sweep")>;
using tk_waiting_atom = caf::atom_constant<caf::atom("tk_waiting")>;

enum class outcome_kind : std::uint8_t {
  none,   // not finished, or cancelled
  result, // the JSON-RPC result object of the underlying request
  error,  // the JSON-RPC error object of the underlying request
};

// What the underlying request returned, as JSON text (tasks/result returns exactly it).
struct task_outcome {
  outcome_kind kind = outcome_kind::none;
  std::string json;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_outcome& x) {
  return f(caf::meta::type_name("task_outcome"), x.kind, x.json);
}

struct task_record {
  std::string task_id; // 32 base64url characters, 192 random bits
  std::string owner;
  task_status status = task_status::working;
  std::string status_message;
  std::int64_t created_ms = 0; // Unix milliseconds
  std::int64_t last_updated_ms = 0;
  std::int64_t ttl_ms = 0; // retention from creation; the task is removed after it
  std::int64_t poll_interval_ms = 0;
  task_outcome outcome;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_record& x) {
  return f(caf::meta::type_name("task_record"), x.task_id, x.owner, x.status, x.status_message,
           x.created_ms, x.last_updated_ms, x.ttl_ms, x.poll_interval_ms, x.outcome);
}

struct task_page {
  std::vector<task_record> tasks;
  std::string next_cursor; // empty: this is the last page
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_page& x) {
  return f(caf::meta::type_name("task_page"), x.tasks, x.next_cursor);
}

} // namespace cafmcp::services
