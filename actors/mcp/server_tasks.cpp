// Task-augmented tools/call and tasks/get, tasks/result, tasks/list,
// tasks/cancel (checklist §5), over the task service of task_backend.hpp.
// Everything the session asks the service is a request().then(): the session
// keeps serving while tasks/result waits for a task to end.
#include "cafmcp/actors/mcp/server_state.hpp"

#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/task_json.hpp"
#include "cafmcp/protocol/method_names.hpp"
#include "cafmcp/protocol/pagination.hpp"

namespace cafmcp::mcp {

namespace svc = cafmcp::services;
using nlohmann::json;

namespace {

constexpr std::string_view related_task_key = "io.modelcontextprotocol/related-task";

constexpr auto retry_delay = std::chrono::milliseconds{100};

protocol::rpc_error task_error(const caf::error& e) {
  using svc::svc_errc;
  if (svc::is(e, svc_errc::not_found))
    return protocol::invalid_params("Unknown task", "unknown_task");
  if (svc::is(e, svc_errc::already_terminal))
    return protocol::invalid_params("The task is already terminal", "task_terminal");
  if (svc::is(e, svc_errc::invalid_cursor))
    return protocol::invalid_params("Invalid cursor", "invalid_cursor");
  if (svc::is(e, svc_errc::task_expired))
    return protocol::invalid_params("The task expired", "task_expired");
  if (svc::is(e, svc_errc::at_capacity))
    return protocol::make_tagged_error(protocol::error_code::bad_request, "Too many tasks",
                                       "too_many_tasks");
  return protocol::internal_error("Task service error: " + caf::to_string(e));
}

protocol::rpc_error service_unavailable() {
  return protocol::internal_error("The task service is unavailable; retry");
}

// params.taskId, or nothing.
std::optional<std::string> task_id_param(const std::optional<json>& params) {
  if (!params || !params->is_object())
    return std::nullopt;
  auto it = params->find("taskId");
  if (it == params->end() || !it->is_string())
    return std::nullopt;
  return it->get<std::string>();
}

protocol::rpc_error bad_task_id() {
  return protocol::invalid_params("Invalid params: taskId must be a string", "invalid_task_id");
}

} // namespace

bool server_state::tasks_enabled() const {
  return cfg_->tasks != nullptr && rev_->has_tasks;
}

void server_state::start_task(const request& req, const json& task_params, job work, execution mode,
                              finish_fn finish) {
  if (at_capacity(req))
    return;
  auto service = cfg_->tasks->service();
  if (!service)
    return reply_error(req.id, service_unavailable());
  int64_t ttl = 0; // the service's default
  if (auto t = task_params.find("ttl"); t != task_params.end() && t->is_number_integer())
    ttl = t->get<int64_t>();
  const auto& opt = cfg_->tasks->options();
  self_
      ->request(service, opt.service_timeout, svc::tk_create_atom::value, session_id_, ttl,
                opt.poll_interval_ms)
      .then(
          [this, req, work = std::move(work), mode,
           finish = std::move(finish)](svc::task_record& rec) mutable {
            if (lifecycle_.state() == protocol::lifecycle_state::closed)
              return;
            // CreateTaskResult at once; the work runs on and ends in the task.
            reply(req.id, json{{"task", svc::task_to_json(rec)}});
            spawn_job(req, std::move(work), mode, std::move(finish), rec.task_id);
          },
          [this, id = req.id](caf::error& e) { reply_error(id, task_error(e)); });
}

void server_state::finish_task(const std::string& task_id, job_outcome outcome) {
  svc::task_outcome o;
  auto status = svc::task_status::completed;
  if (outcome.ok()) {
    // A tool result with isError is a request that completed with a failure.
    if (outcome.value->is_object() && outcome.value->value("isError", false))
      status = svc::task_status::failed;
    o.kind = svc::outcome_kind::result;
    o.json = outcome.value->dump();
  } else {
    status = svc::task_status::failed;
    o.kind = svc::outcome_kind::error;
    o.json = json(outcome.error).dump();
  }
  record_task_outcome(task_id, status, o, task_service_retries);
}

void server_state::record_task_outcome(const std::string& task_id, svc::task_status status,
                                       const svc::task_outcome& outcome, int attempts) {
  auto retry = [this, task_id, status, outcome, attempts] {
    if (attempts > 0)
      self_->delayed_send(self_, retry_delay, task_retry_atom::value, task_id, status, outcome,
                          attempts - 1);
  };
  auto service = cfg_->tasks->service();
  if (!service)
    return retry();
  self_
      ->request(service, cfg_->tasks->options().service_timeout, svc::tk_finish_atom::value,
                task_id, status, outcome)
      .then([](svc::task_record&) {},
            [retry](caf::error& e) {
              // Terminal already (cancelled meanwhile) or gone: nothing to record.
              if (!svc::is(e, svc::svc_errc::already_terminal) &&
                  !svc::is(e, svc::svc_errc::not_found) &&
                  !svc::is(e, svc::svc_errc::illegal_transition))
                retry();
            });
}

void server_state::set_task_status(const std::string& task_id, svc::task_status status,
                                   std::string message) {
  if (auto service = cfg_->tasks ? cfg_->tasks->service() : caf::actor{})
    caf::anon_send(service, svc::tk_update_atom::value, task_id, status, std::move(message));
}

void server_state::tag_related_task(uint64_t call_key, json& params) const {
  auto it = calls_.find(call_key);
  if (it == calls_.end() || it->second.task_id.empty())
    return;
  params["_meta"][std::string{related_task_key}] = {{"taskId", it->second.task_id}};
}

void server_state::task_input_done(uint64_t call_key) {
  auto it = calls_.find(call_key);
  if (it == calls_.end() || it->second.task_id.empty())
    return;
  for (const auto& [id, pending] : client_calls_)
    if (pending.call_key == call_key)
      return; // still waiting for another answer
  set_task_status(it->second.task_id, svc::task_status::working, {});
}

std::optional<std::string> server_state::task_request(const request& req) {
  if (!tasks_enabled()) {
    reply_error(req.id, protocol::method_not_found(req.method));
    return std::nullopt;
  }
  auto task_id = task_id_param(req.params);
  if (!task_id)
    reply_error(req.id, bad_task_id());
  return task_id;
}

template <class OnReply, class... Ts>
void server_state::ask_tasks(const message_id& id, OnReply on_reply, Ts&&... xs) {
  auto service = cfg_->tasks->service();
  if (!service)
    return reply_error(id, service_unavailable());
  self_->request(service, cfg_->tasks->options().service_timeout, std::forward<Ts>(xs)...)
      .then(std::move(on_reply), [this, id](caf::error& e) { reply_error(id, task_error(e)); });
}

void server_state::handle_tasks_get(request& req) {
  auto task_id = task_request(req);
  if (!task_id)
    return;
  ask_tasks(
      req.id, [this, id = req.id](svc::task_record& rec) { reply(id, svc::task_to_json(rec)); },
      svc::tk_get_atom::value, session_id_, *task_id);
}

void server_state::handle_tasks_list(request& req) {
  if (!tasks_enabled())
    return reply_error(req.id, protocol::method_not_found(req.method));
  auto cursor = protocol::cursor_param(req.params);
  if (!cursor)
    return reply_error(req.id, cursor.error());
  ask_tasks(
      req.id,
      [this, id = req.id](svc::task_page& page) {
        json tasks = json::array();
        for (const auto& rec : page.tasks)
          tasks.push_back(svc::task_to_json(rec));
        json result{{"tasks", std::move(tasks)}};
        if (!page.next_cursor.empty())
          result["nextCursor"] = page.next_cursor;
        reply(id, std::move(result));
      },
      svc::tk_list_atom::value, session_id_, cursor->value_or(std::string{}));
}

void server_state::handle_tasks_cancel(request& req) {
  auto task_id = task_request(req);
  if (!task_id)
    return;
  ask_tasks(
      req.id,
      [this, id = req.id, task_id = *task_id](svc::task_record& rec) {
        // The service holds `cancelled` already; now stop the work.
        if (auto it = task_calls_.find(task_id); it != task_calls_.end())
          drop_call(it->second, mcp_errc::request_cancelled);
        reply(id, svc::task_to_json(rec));
      },
      svc::tk_cancel_atom::value, session_id_, *task_id);
}

void server_state::handle_tasks_result(request& req) {
  auto task_id = task_request(req);
  if (!task_id)
    return;
  await_task_result(req.id, *task_id, task_service_retries);
}

void server_state::watch_task_status(int attempts) {
  if (lifecycle_.state() == protocol::lifecycle_state::closed)
    return;
  auto retry = [this, attempts] {
    if (attempts > 0)
      self_->delayed_send(self_, retry_delay, task_watch_atom::value, attempts - 1);
  };
  auto service = cfg_->tasks->service();
  if (!service)
    return retry();
  // The service keeps its subscribers across restarts, so one success is
  // enough for the session's lifetime.
  self_
      ->request(service, cfg_->tasks->options().service_timeout, svc::tk_watch_atom::value,
                session_id_, caf::actor_cast<caf::actor>(self_))
      .then([](caf::ok_atom) {}, [retry](caf::error&) { retry(); });
}

void server_state::on_task_status(const svc::task_record& rec) {
  // Only this session's tasks (the service scopes by owner already), and only
  // to a client that negotiated tasks. Optional in the spec: clients poll
  // tasks/get and must not rely on it, so the log-level-free notify suffices.
  if (rec.owner != session_id_ || !tasks_enabled() || !info_)
    return;
  notify(protocol::method::notify_tasks_status, svc::task_to_json(rec));
}

void server_state::await_task_result(const message_id& id, const std::string& task_id,
                                     int attempts) {
  auto service = cfg_->tasks->service();
  if (!service) {
    if (attempts <= 0)
      return reply_error(id, service_unavailable());
    // A restart is in progress; ask the next incarnation.
    self_->delayed_send(self_, retry_delay, task_wait_atom::value, related_of(id), task_id,
                        attempts - 1);
    return;
  }
  // Blocks until the task is terminal: as long as it takes, but on the
  // service, not on this actor.
  self_->request(service, caf::infinite, svc::tk_result_atom::value, session_id_, task_id)
      .then(
          [this, id, task_id](svc::task_record& rec) {
            json meta{{std::string{related_task_key}, {{"taskId", task_id}}}};
            if (rec.outcome.kind == svc::outcome_kind::result) {
              auto result = json::parse(rec.outcome.json, nullptr, false);
              if (!result.is_object())
                return reply_error(id, protocol::internal_error("Stored task result is corrupt"));
              result["_meta"].update(meta);
              return reply(id, std::move(result));
            }
            if (rec.outcome.kind == svc::outcome_kind::error) {
              auto err = json::parse(rec.outcome.json, nullptr, false);
              protocol::rpc_error e{err.value("code", protocol::error_code::internal_error),
                                    err.value("message", std::string{"Task failed"}),
                                    err.contains("data") ? std::optional<json>{err["data"]}
                                                         : std::optional<json>{}};
              return reply_error(id, std::move(e));
            }
            // Cancelled: the underlying request never produced anything.
            reply_error(id, protocol::invalid_params(
                                "The task was cancelled", "task_cancelled",
                                {{"taskId", task_id}, {"status", svc::to_string(rec.status)}}));
          },
          [this, id, task_id, attempts](caf::error& e) {
            if (svc::is(e, svc::svc_errc::service_restarted) && attempts > 0)
              return await_task_result(id, task_id, attempts - 1);
            reply_error(id, task_error(e));
          });
}

} // namespace cafmcp::mcp
