// Running handlers off the session actor, and cancellation (checklist §4
// "Cancellation": notifications/cancelled stops the in-flight handler and no
// response is sent; never for initialize; unknown ids are ignored).
#include "cafmcp/actors/mcp/server_state.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/spawn_options.hpp>

#include "cafmcp/protocol/jsonrpc_codec.hpp"

namespace cafmcp::mcp {

using nlohmann::json;

namespace {

// _meta.progressToken of a request's params, if it is a string or integer.
std::optional<protocol::message_id> progress_token_of(const std::optional<json>& params) {
  if (!params || !params->is_object())
    return std::nullopt;
  auto meta = params->find("_meta");
  if (meta == params->end() || !meta->is_object())
    return std::nullopt;
  auto token = meta->find("progressToken");
  if (token == meta->end())
    return std::nullopt;
  return protocol::message_id_from_json(*token);
}

json meta_of(const std::optional<json>& params) {
  if (params && params->is_object())
    if (auto it = params->find("_meta"); it != params->end() && it->is_object())
      return *it;
  return json::object();
}

} // namespace

bool server_state::at_capacity(const request& req) {
  if (calls_.size() < cfg_->options.max_in_flight)
    return false;
  reply_error(req.id, protocol::make_tagged_error(
                          protocol::error_code::bad_request, "Too many requests in flight",
                          "too_many_requests", {{"limit", cfg_->options.max_in_flight}}));
  return true;
}

void server_state::start_job(const request& req, job work, execution mode, finish_fn finish) {
  if (!at_capacity(req))
    spawn_job(req, std::move(work), mode, std::move(finish), {});
}

void server_state::spawn_job(const request& req, job work, execution mode, finish_fn finish,
                             std::string task_id) {
  auto key = next_call_key_++;
  auto channel = std::make_shared<detail::call_channel>();
  channel->session = caf::actor_cast<caf::actor>(self_);
  channel->call_key = key;
  channel->info = info_;
  channel->meta = meta_of(req.params);
  channel->default_timeout = cfg_->options.client_request_timeout;
  // A blocking handler gets its own thread, so it can never hold up the
  // scheduler threads this and every other session run on. A cooperative
  // one runs right here, after its call is on record (job_worker.hpp).
  caf::actor worker;
  if (mode == execution::blocking) {
    worker = self_->spawn<caf::detached>(job_worker, channel, std::move(work));
    self_->monitor(worker);
    workers_.emplace(worker.id(), key);
  } else {
    channel->worker = channel->session;
    channel->on_session = true;
  }
  // A task's request was answered with CreateTaskResult already: what its
  // handler sends later is related to the task (by _meta), not to a request
  // stream; and notifications/cancelled no longer applies to it (tasks/cancel
  // does), so its id is not indexed.
  auto related = task_id.empty() ? related_of(req.id) : std::string{};
  if (task_id.empty())
    call_keys_.emplace(req.id, key);
  else
    task_calls_.emplace(task_id, key);
  calls_.emplace(key, in_flight{req.id, std::move(related), progress_token_of(req.params),
                                std::nullopt, channel, std::move(finish), std::move(task_id)});
  if (worker)
    self_->send(worker, job_run_atom::value);
  else if (auto outcome = detail::run_job(channel, work))
    on_job_done(key, *outcome);
}

void server_state::on_job_done(uint64_t key, job_outcome& outcome) {
  auto it = calls_.find(key);
  if (it == calls_.end())
    return; // cancelled meanwhile: its answer goes nowhere
  auto id = it->second.id;
  auto finish = std::move(it->second.finish);
  auto task_id = it->second.task_id;
  // The handler is done; requests it left pending at the client are moot.
  drop_call(key, mcp_errc::request_cancelled);
  auto final_outcome = finish ? finish(std::move(outcome)) : std::move(outcome);
  if (!task_id.empty())
    finish_task(task_id, std::move(final_outcome));
  else if (final_outcome.ok())
    reply(id, std::move(*final_outcome.value));
  else
    reply_error(id, std::move(final_outcome.error));
}

void server_state::on_cancelled(const json& params) {
  if (!params.is_object())
    return;
  auto rid = params.find("requestId");
  if (rid == params.end())
    return;
  auto id = protocol::message_id_from_json(*rid);
  // Unknown or finished ids are ignored (the race the spec expects), and
  // initialize cannot be cancelled.
  if (!id || lifecycle_.is_initialize_request(*id))
    return;
  auto it = call_keys_.find(*id);
  if (it == call_keys_.end())
    return;
  drop_call(it->second, mcp_errc::request_cancelled);
}

void server_state::drop_call(uint64_t key, mcp_errc why) {
  auto it = calls_.find(key);
  if (it == calls_.end())
    return;
  it->second.channel->cancelled.store(true, std::memory_order_release);
  if (it->second.task_id.empty())
    call_keys_.erase(it->second.id);
  else
    task_calls_.erase(it->second.task_id);
  calls_.erase(it);
  fail_client_calls(key, why, true);
}

} // namespace cafmcp::mcp
