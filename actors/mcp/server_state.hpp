#pragma once
// The state of one mcp_server actor. Its member functions are spread over
// server_*.cpp by concern (dispatch, lifecycle, tools, resources, prompts and
// completion, handler jobs, server->client requests); every one of them runs
// on the session actor and must return quickly.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/message_view.hpp>
#include <caf/result.hpp>
#include <caf/system_messages.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/call_channel.hpp"
#include "cafmcp/actors/mcp/execution.hpp"
#include "cafmcp/actors/mcp/job_worker.hpp"
#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/mcp/mcp_server.hpp"
#include "cafmcp/actors/mcp/request_metrics.hpp"
#include "cafmcp/actors/mcp/server_messages.hpp"
#include "cafmcp/actors/mcp/token_bucket.hpp"
#include "cafmcp/actors/services/task_messages.hpp"
#include "cafmcp/protocol/message.hpp"
#include "cafmcp/protocol/revision_traits.hpp"
#include "cafmcp/protocol/session_lifecycle.hpp"

namespace cafmcp::mcp {

class server_state {
public:
  static inline const char* name = "mcp_server";

  explicit server_state(server_actor* self);
  ~server_state();

  server_state(const server_state&) = delete;
  server_state& operator=(const server_state&) = delete;

  caf::behavior start(server_args args);

private:
  using json = nlohmann::json;
  using request = protocol::request;
  using message_id = protocol::message_id;
  // How often a task-service request is retried while the service restarts
  // (it keeps its records and subscribers; only the actor is new).
  static constexpr int task_service_retries = 20;
  // Maps what a handler produced to what the client gets (e.g. a tool's
  // failure becomes an isError result).
  using finish_fn = std::function<job_outcome(job_outcome)>;

  // A client request whose handler is running.
  struct in_flight {
    message_id id;
    std::string related; // JSON text of `id`
    std::optional<message_id> progress_token;
    std::optional<double> last_progress;
    std::shared_ptr<detail::call_channel> channel;
    finish_fn finish;
    // Set for a task-augmented request: its outcome goes to the task service
    // instead of a response (which was the CreateTaskResult).
    std::string task_id;
  };

  // A server->client request awaiting its response.
  struct client_pending {
    uint64_t call_key = 0; // 0: not made on behalf of a client request
    std::string method;
    std::string related;
    client_reply_fn reply;
  };

  using handler = void (server_state::*)(request&);

  // -- server_dispatch.cpp: decoding, routing, writing ------------------------
  void on_input(const std::string& text);
  void on_request(request& req);
  void on_notification(protocol::notification& note);
  void on_response(const message_id& id, caf::expected<json> outcome);
  void on_down(const caf::down_msg& dm);
  // The messages outside the behavior (start() says why); unknown ones are
  // refused with sec::unexpected_message.
  caf::result<caf::message> on_other_message(caf::message_view& x);
  void close_session();
  session_stats stats() const;
  void reply(const message_id& id, json result);
  void reply_error(const std::optional<message_id>& id, protocol::rpc_error err);
  void notify(std::string_view method, json params, std::string related = {});
  void write(std::string text, std::string related);
  static std::string related_of(const message_id& id);
  static const std::unordered_map<std::string_view, handler>& routes();

  // -- server_lifecycle.cpp: initialize, ping, logging, list_changed ----------
  void handle_initialize(request& req);
  void handle_ping(request& req);
  void handle_set_level(request& req);
  json capabilities() const;
  void on_features_changed(uint8_t kinds);
  void on_list_flush();
  void on_roots_list_changed();
  void schedule_liveness_ping();
  void on_liveness_ping();
  // Ends the session on our own initiative: tells the sink why, then closes.
  void end_session(caf::error reason);
  void on_elicitation_complete(const std::string& elicitation_id);
  void on_log(ctx_log& msg);
  void on_progress(ctx_progress& msg);

  // -- server_tools.cpp -------------------------------------------------------
  void handle_tools_list(request& req);
  void handle_tools_call(request& req);

  // -- server_resources.cpp -----------------------------------------------------
  void handle_resources_list(request& req);
  void handle_templates_list(request& req);
  void handle_resources_read(request& req);
  void handle_subscribe(request& req);
  void handle_unsubscribe(request& req);
  void on_resource_updated(const std::string& uri);

  // -- server_prompts.cpp: prompts and completion -------------------------------
  void handle_prompts_list(request& req);
  void handle_prompts_get(request& req);
  void handle_complete(request& req);

  // -- server_jobs.cpp: running handlers off the session actor --------------------
  // Runs `work` for request `req` (job_worker.hpp: on a worker, or here for a
  // cooperative handler); the outcome, after `finish`,
  // answers it. Refuses with -32000 when too many requests are in flight.
  void start_job(const request& req, job work, execution mode, finish_fn finish);
  bool at_capacity(const request& req);
  // Starts the handler; with a task id the outcome goes to the task service.
  void spawn_job(const request& req, job work, execution mode, finish_fn finish,
                 std::string task_id);
  void on_job_done(uint64_t key, job_outcome& outcome);
  void on_cancelled(const json& params);
  // Forgets the call (no response will be sent) and cancels what it started.
  void drop_call(uint64_t key, mcp_errc why);

  // -- server_tasks.cpp: task-augmented tools/call and tasks/* -------------------
  bool tasks_enabled() const;
  void start_task(const request& req, const json& task_params, job work, execution mode,
                  finish_fn finish);
  // The task id of a tasks/get, tasks/cancel or tasks/result request, or
  // nothing after answering it with the error (no tasks, bad params).
  std::optional<std::string> task_request(const request& req);
  // Asks the task service (its message is `xs...`) on behalf of request `id`:
  // `on_reply` gets the answer, an error becomes the matching JSON-RPC error.
  template <class OnReply, class... Ts>
  void ask_tasks(const message_id& id, OnReply on_reply, Ts&&... xs);
  void handle_tasks_get(request& req);
  void handle_tasks_list(request& req);
  void handle_tasks_cancel(request& req);
  void handle_tasks_result(request& req);
  // notifications/tasks/status: subscribes this session to its own tasks'
  // status changes (retrying while the task service restarts).
  void watch_task_status(int attempts = task_service_retries);
  void on_task_status(const services::task_record& rec);
  void await_task_result(const message_id& id, const std::string& task_id, int attempts);
  void finish_task(const std::string& task_id, job_outcome outcome);
  void record_task_outcome(const std::string& task_id, services::task_status status,
                           const services::task_outcome& outcome, int attempts);
  void set_task_status(const std::string& task_id, services::task_status status,
                       std::string message);
  // For messages a task's handler causes: _meta io.modelcontextprotocol/related-task.
  void tag_related_task(uint64_t call_key, json& params) const;
  // A task's handler got (or gave up on) its client's answer: back to working.
  void task_input_done(uint64_t call_key);

  // -- server_client_requests.cpp: server->client requests ------------------------
  void on_client_call(client_call& call);
  void on_client_timeout(int64_t id);
  // Fails every pending client request of `call_key` (all if nullopt),
  // telling the client with notifications/cancelled when `tell_client`.
  void fail_client_calls(std::optional<uint64_t> call_key, mcp_errc why, bool tell_client);

  server_actor* self_;
  std::shared_ptr<const server_config> cfg_;
  caf::actor sink_;
  std::string session_id_;
  transport_kind transport_ = transport_kind::in_process;

  protocol::session_lifecycle lifecycle_;
  // The latest revision until initialize negotiates one.
  const protocol::revision_traits* rev_;
  std::shared_ptr<const session_info> info_;
  uint8_t offered_ = 0; // feature_kind bits advertised in initialize
  protocol::log_level log_threshold_;

  uint64_t next_call_key_ = 1;
  std::unordered_map<uint64_t, in_flight> calls_;
  std::unordered_map<message_id, uint64_t> call_keys_; // request id -> call key
  std::unordered_map<caf::actor_id, uint64_t> workers_;

  int64_t next_client_id_ = 1;
  std::unordered_map<int64_t, client_pending> client_calls_;

  std::unordered_map<std::string, uint64_t> task_calls_; // task id -> call key

  std::set<std::string> subscriptions_;
  uint8_t pending_list_changed_ = 0;
  bool flush_scheduled_ = false;

  token_bucket tool_calls_;
  token_bucket log_messages_;
  uint64_t dropped_logs_ = 0;

  request_metrics metrics_; // observability hook (request_metrics.hpp)
};

} // namespace cafmcp::mcp
