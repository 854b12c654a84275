#pragma once
// The internal vocabulary between a session (mcp_server), the worker actors
// that run its handlers, and the call_contexts those handlers hold. All of it
// stays inside one node: these messages carry callbacks and live JSON trees,
// so they are whitelisted as unsafe (local-only) types instead of having
// inspect() overloads. The messages other parts of the node send to a
// session are public and live in session_protocol.hpp, feature_registry.hpp
// (features_changed_atom) and subscription_port.hpp (services::rs_updated_atom).
//
//   session -> worker   (job_run_atom)                  run the handler now
//   anyone  -> worker   (job_fin_atom, job_outcome)     the handler answered
//   anyone  -> worker   (job_post_atom, deferred_call)  run a continuation
//   worker  -> session  (job_done_atom, uint64 key, job_outcome)
//   cooperative handlers run on the session itself (job_worker.hpp):
//   anyone  -> session  (job_post_atom, deferred_call)  run a continuation
//   anyone  -> session  (job_done_atom, uint64 key, job_outcome)
//   context -> session  (ctx_log_atom, ctx_log)
//   context -> session  (ctx_progress_atom, ctx_progress)
//   context -> session  (client_call_atom, client_call)   a server->client request
//   session -> session  (client_timeout_atom, int64 id)   its timer fired
//   session -> session  (list_flush_atom)                 send coalesced list_changed
//   session -> session  (liveness_atom)                   time for a liveness ping
//   session -> session  (task_retry_atom, task id, status, outcome, attempts left)
//                        record a task's outcome again (the task service was restarting)
//   session -> session  (task_wait_atom, request id as JSON text, task id, attempts left)
//                        ask for tasks/result again (the task service was restarting)
//   session -> session  (task_watch_atom, attempts left)
//                        subscribe to task status changes again (service restarting)

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/protocol/log_level.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

namespace cafmcp::mcp {

using job_run_atom = caf::atom_constant<caf::atom("mcp_run")>;
using job_fin_atom = caf::atom_constant<caf::atom("mcp_fin")>;
using job_post_atom = caf::atom_constant<caf::atom("mcp_post")>;
using job_done_atom = caf::atom_constant<caf::atom("mcp_done")>;
using ctx_log_atom = caf::atom_constant<caf::atom("mcp_log")>;
using ctx_progress_atom = caf::atom_constant<caf::atom("mcp_prog")>;
using client_call_atom = caf::atom_constant<caf::atom("mcp_creq")>;
using client_timeout_atom = caf::atom_constant<caf::atom("mcp_ctmo")>;
using list_flush_atom = caf::atom_constant<caf::atom("mcp_flush")>;
using liveness_atom = caf::atom_constant<caf::atom("mcp_live")>;
using task_retry_atom = caf::atom_constant<caf::atom("mcp_tkrtry")>;
using task_wait_atom = caf::atom_constant<caf::atom("mcp_tkwait")>;
using task_watch_atom = caf::atom_constant<caf::atom("mcp_tkwtch")>;

// What a handler produced: a result value or a JSON-RPC error.
struct job_outcome {
  std::optional<nlohmann::json> value;
  protocol::rpc_error error;

  bool ok() const noexcept { return value.has_value(); }

  static job_outcome success(nlohmann::json v) { return {std::move(v), {}}; }
  static job_outcome failure(protocol::rpc_error e) { return {std::nullopt, std::move(e)}; }
};

struct ctx_log {
  uint64_t call_key = 0;
  protocol::log_level level = protocol::log_level::info;
  std::string logger;
  nlohmann::json data;
};

struct ctx_progress {
  uint64_t call_key = 0;
  double progress = 0;
  std::optional<double> total;
  std::string message;
};

using client_reply_fn = std::function<void(caf::expected<nlohmann::json>)>;

// A request to the client on behalf of the call `call_key`. The session calls
// `reply` exactly once, on its own thread: with the result, the client's
// error, a timeout, or a cancellation.
struct client_call {
  uint64_t call_key = 0;
  std::string method;
  nlohmann::json params;
  caf::timespan timeout{0};
  client_reply_fn reply;
};

struct deferred_call {
  std::function<void()> fn;
};

} // namespace cafmcp::mcp

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::mcp::job_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::mcp::ctx_log)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::mcp::ctx_progress)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::mcp::client_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::mcp::deferred_call)
