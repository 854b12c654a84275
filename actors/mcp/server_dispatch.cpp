// Decoding, routing and writing for the session actor (checklist §1 base
// protocol: requests answered once with their id, notifications never
// answered, unknown methods -32601, malformed input the codec's error).
#include "cafmcp/actors/mcp/server_state.hpp"

#include <caf/event_based_actor.hpp>

#include "cafmcp/protocol/jsonrpc_codec.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;
using nlohmann::json;

server_state::server_state(server_actor* self)
    : self_(self), rev_(&protocol::traits(protocol::latest_protocol_version)),
      log_threshold_(protocol::log_level::debug), tool_calls_(0, 1), log_messages_(0, 1) {}

server_state::~server_state() {
  // Runs however the actor ends (also when killed; CAF 0.17's stateful_actor
  // destroys its state in on_exit, before the monitors fire): handlers still
  // running learn that nobody waits for them any more, and destroying
  // client_calls_ breaks the promises blocked handlers wait on.
  for (auto& [key, call] : calls_)
    call.channel->cancelled.store(true, std::memory_order_release);
  // A session ended by a kill never ran close_session. Done here rather than
  // in an attach_functor, which would cost every session one more allocation.
  if (cfg_) {
    cfg_->features->detach(self_->id());
    cfg_->subscriptions->drop(self_->id(), session_id_);
  }
}

const std::unordered_map<std::string_view, server_state::handler>& server_state::routes() {
  static const std::unordered_map<std::string_view, handler> table{
      {method::initialize, &server_state::handle_initialize},
      {method::ping, &server_state::handle_ping},
      {method::logging_set_level, &server_state::handle_set_level},
      {method::tools_list, &server_state::handle_tools_list},
      {method::tools_call, &server_state::handle_tools_call},
      {method::resources_list, &server_state::handle_resources_list},
      {method::resources_templates_list, &server_state::handle_templates_list},
      {method::resources_read, &server_state::handle_resources_read},
      {method::resources_subscribe, &server_state::handle_subscribe},
      {method::resources_unsubscribe, &server_state::handle_unsubscribe},
      {method::prompts_list, &server_state::handle_prompts_list},
      {method::prompts_get, &server_state::handle_prompts_get},
      {method::completion_complete, &server_state::handle_complete},
      {method::tasks_get, &server_state::handle_tasks_get},
      {method::tasks_result, &server_state::handle_tasks_result},
      {method::tasks_list, &server_state::handle_tasks_list},
      {method::tasks_cancel, &server_state::handle_tasks_cancel},
  };
  return table;
}

void server_state::on_input(const std::string& text) {
  if (lifecycle_.state() == protocol::lifecycle_state::closed)
    return;
  auto decoded = protocol::decode(text, cfg_->options.decode);
  if (!decoded) {
    // JSON-RPC answers even unreadable input (with "id": null when the id
    // could not be read).
    reply_error(decoded.error().id, decoded.error().error);
    return;
  }
  std::visit(
      [this](auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, protocol::request>) {
          on_request(msg);
        } else if constexpr (std::is_same_v<T, protocol::notification>) {
          on_notification(msg);
        } else if constexpr (std::is_same_v<T, protocol::response>) {
          if (lifecycle_.on_response().action == protocol::inbound_action::process)
            on_response(msg.id, std::move(msg.result));
        } else {
          if (msg.id && lifecycle_.on_response().action == protocol::inbound_action::process)
            on_response(*msg.id,
                        caf::make_error(mcp_errc::client_error, msg.error.code, msg.error.message));
        }
      },
      *decoded);
}

void server_state::on_request(request& req) {
  // Ids must not be reused while in flight: a second request with the same
  // id could never be told apart in its response or a cancellation.
  if (call_keys_.count(req.id) != 0) {
    reply_error(req.id, protocol::invalid_request("Request id is already in use", "duplicate_id",
                                                  {{"method", req.method}}));
    return;
  }
  metrics_.request_arrived(req.id, req.method);
  auto verdict = lifecycle_.on_request(req.id, req.method);
  if (verdict.action == protocol::inbound_action::ignore)
    return;
  if (verdict.action == protocol::inbound_action::reject) {
    reply_error(req.id, std::move(*verdict.error));
    return;
  }
  auto& table = routes();
  auto it = table.find(req.method);
  if (it == table.end()) {
    reply_error(req.id, protocol::method_not_found(req.method));
    return;
  }
  (this->*(it->second))(req);
}

void server_state::on_notification(protocol::notification& note) {
  auto was = lifecycle_.state();
  if (lifecycle_.on_notification(note.method).action != protocol::inbound_action::process)
    return;
  if (was != protocol::lifecycle_state::initialized &&
      lifecycle_.state() == protocol::lifecycle_state::initialized)
    schedule_liveness_ping();
  if (note.method == method::notify_cancelled) {
    on_cancelled(note.params ? *note.params : json::object());
  } else if (note.method == method::notify_roots_list_changed) {
    on_roots_list_changed();
  }
  // notifications/initialized moved the lifecycle already; progress and
  // tasks/status from the client need nothing from us; unknown ones are
  // ignored, as JSON-RPC asks.
}

void server_state::on_down(const caf::down_msg& dm) {
  if (sink_ && dm.source == sink_.address()) {
    // The transport connection is gone: nobody can read this session any more.
    close_session();
    return;
  }
  auto w = workers_.find(dm.source.id());
  if (w == workers_.end())
    return;
  auto key = w->second;
  workers_.erase(w);
  // A worker forwards the handler's answer before it quits, so a call still
  // in flight here lost its worker abnormally (killed): answer it as the
  // handler's failure (an isError result for a tool, a failed task, ...).
  if (calls_.count(key) != 0) {
    auto failure = job_outcome::failure(
        protocol::internal_error("The handler terminated: " + describe(dm.reason)));
    on_job_done(key, failure);
  }
}

void server_state::close_session() {
  if (lifecycle_.state() == protocol::lifecycle_state::closed)
    return;
  lifecycle_.close();
  for (auto& [key, call] : calls_) {
    call.channel->cancelled.store(true, std::memory_order_release);
    // Nobody can ask for this task any more (tasks belong to the session).
    if (!call.task_id.empty())
      set_task_status(call.task_id, services::task_status::cancelled, "The session ended");
  }
  task_calls_.clear();
  if (tasks_enabled() && info_)
    if (auto service = cfg_->tasks->service())
      caf::anon_send(service, services::tk_unwatch_atom::value, session_id_,
                     caf::actor_cast<caf::actor>(self_));
  calls_.clear();
  call_keys_.clear();
  fail_client_calls(std::nullopt, mcp_errc::session_closed, false);
  subscriptions_.clear();
  // The subscription and feature registries forget this session in
  // ~server_state, before the monitors fire: whoever watched this session end
  // finds it gone.
  self_->quit();
}

void server_state::end_session(caf::error reason) {
  if (lifecycle_.state() == protocol::lifecycle_state::closed)
    return;
  if (sink_)
    self_->send(sink_, session_closed_atom::value, std::move(reason));
  close_session();
}

session_stats server_state::stats() const {
  session_stats s;
  s.session_id = session_id_;
  s.lifecycle = std::string{protocol::to_string(lifecycle_.state())};
  if (info_)
    s.protocol_version = std::string{protocol::to_string(info_->version)};
  s.in_flight = calls_.size();
  s.client_requests = client_calls_.size();
  s.subscriptions = subscriptions_.size();
  s.dropped_logs = dropped_logs_;
  return s;
}

std::string server_state::related_of(const message_id& id) {
  // The JSON text of the id, as transports read it (message_peek.hpp).
  if (id.is_integer())
    return std::to_string(id.as_integer());
  return json(id.as_string()).dump();
}

void server_state::reply(const message_id& id, json result) {
  metrics_.answered(id, std::nullopt);
  if (!lifecycle_.may_send_response())
    return;
  write(protocol::encode(protocol::response{id, std::move(result)}), related_of(id));
}

void server_state::reply_error(const std::optional<message_id>& id, protocol::rpc_error err) {
  metrics_.answered(id, err.code);
  if (!lifecycle_.may_send_response())
    return;
  write(protocol::encode(protocol::error_response{id, std::move(err)}),
        id ? related_of(*id) : std::string{});
}

void server_state::notify(std::string_view m, json params, std::string related) {
  if (!lifecycle_.may_send_notification(m))
    return;
  write(protocol::encode(protocol::notification{std::string{m}, std::move(params)}),
        std::move(related));
}

void server_state::write(std::string text, std::string related) {
  if (sink_)
    self_->send(sink_, session_out_atom::value, std::move(text), std::move(related));
}

caf::behavior server_state::start(server_args args) {
  cfg_ = std::move(args.config);
  sink_ = std::move(args.sink);
  session_id_ = std::move(args.session_id);
  transport_ = args.transport;
  metrics_.session_opened(transport_);
  const auto& opt = cfg_->options;
  log_threshold_ = opt.initial_log_level;
  tool_calls_ = token_bucket{opt.tool_calls_per_second, opt.tool_call_burst};
  log_messages_ = token_bucket{opt.log_messages_per_second, opt.log_message_burst};
  self_->set_down_handler([this](caf::down_msg& dm) { on_down(dm); });
  // In CAF 0.17 a receiver that does not understand a message answers with an
  // error message, and the default error handler would end this session on
  // it: one confused peer must not cost a client its session. Errors of our
  // own requests arrive at their .then() handlers, not here.
  self_->set_error_handler([](caf::error&) {});
  if (sink_)
    self_->monitor(sink_); // never an invalid handle (caf-0.17.md §3.2)
  cfg_->features->attach(caf::actor_cast<caf::actor>(self_));
  self_->set_exception_handler([](std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      return caf::make_error(caf::sec::runtime_error, std::string{e.what()});
    } catch (...) {
      return caf::make_error(caf::sec::runtime_error, std::string{"unknown exception"});
    }
  });
  self_->set_default_handler(
      [this](caf::scheduled_actor*, caf::message_view& x) { return on_other_message(x); });
  // Only the messages of every request are in the behavior. A behavior is
  // allocated per actor with a slot per handler (about 37 bytes each): with
  // the rest here, an idle session is some 550 bytes smaller.
  return {
      [this](session_in_atom, const std::string& text) { on_input(text); },
      [this](session_close_atom) { close_session(); },
      [this](job_done_atom, uint64_t key, job_outcome& outcome) { on_job_done(key, outcome); },
      [this](ctx_log_atom, ctx_log& msg) { on_log(msg); },
      [this](ctx_progress_atom, ctx_progress& msg) { on_progress(msg); },
  };
}

caf::result<caf::message> server_state::on_other_message(caf::message_view& x) {
  auto& xs = x.content();
  // Each apply() runs its function when the message has its signature. CAF
  // 0.17's apply() matches by-value parameters (a std::string& never
  // matches): these messages are rare, their copies do not matter.
  auto handled =
      // Continuations of the cooperative handlers that run on this actor.
      xs.apply([](job_post_atom, deferred_call call) { detail::run_continuation(call); }) ||
      xs.apply([this](client_call_atom, client_call call) { on_client_call(call); }) ||
      xs.apply([this](client_timeout_atom, int64_t id) { on_client_timeout(id); }) ||
      xs.apply([this](features_changed_atom, uint8_t kinds) { on_features_changed(kinds); }) ||
      xs.apply([this](list_flush_atom) { on_list_flush(); }) ||
      xs.apply([this](liveness_atom) { on_liveness_ping(); }) ||
      xs.apply([this](task_retry_atom, std::string task_id, services::task_status status,
                      services::task_outcome outcome,
                      int attempts) { record_task_outcome(task_id, status, outcome, attempts); }) ||
      xs.apply([this](task_wait_atom, std::string id_json, std::string task_id, int attempts) {
        if (auto id = protocol::message_id_from_json(json::parse(id_json, nullptr, false)))
          await_task_result(*id, task_id, attempts);
      }) ||
      xs.apply([this](task_watch_atom, int attempts) { watch_task_status(attempts); }) ||
      xs.apply(
          [this](services::tk_status_atom, services::task_record rec) { on_task_status(rec); }) ||
      xs.apply([this](services::rs_updated_atom, std::string uri, std::string) {
        on_resource_updated(uri);
      }) ||
      xs.apply([this](elicitation_complete_atom, std::string id) { on_elicitation_complete(id); });
  if (handled)
    return caf::message{};
  if (xs.match_elements<caf::get_atom>())
    return caf::make_message(stats());
  return caf::sec::unexpected_message;
}

caf::behavior mcp_server(server_actor* self, server_args args) {
  return self->state.start(std::move(args));
}

} // namespace cafmcp::mcp
