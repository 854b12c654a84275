// initialize and version negotiation, ping, logging and list_changed
// (checklist §2 lifecycle, §3 capabilities, §4 Logging, Progress, Ping).
#include "cafmcp/actors/mcp/server_state.hpp"

#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/mcp/wire_format.hpp"
#include "cafmcp/protocol/initialize_params.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;
using nlohmann::json;

void server_state::handle_initialize(request& req) {
  auto fail = [&](protocol::rpc_error err) {
    // Back to pre_initialize: the client may retry with correct params.
    lifecycle_.initialize_failed();
    reply_error(req.id, std::move(err));
  };
  auto params = protocol::parse_initialize_params(req.params);
  if (!params)
    return fail(std::move(params.error()));
  // A supported version is echoed, anything else answered with the newest
  // one we serve: never an error (the client decides whether to go on).
  auto negotiated = protocol::negotiate(params->requested_version, cfg_->options.versions);
  rev_ = &protocol::traits(negotiated);
  auto info = std::make_shared<session_info>();
  info->session_id = session_id_;
  info->transport = transport_;
  info->version = negotiated;
  info->client_capabilities = std::move(params->capabilities);
  info->client_info = std::move(params->client_info);
  info_ = std::move(info);
  offered_ = cfg_->features->snapshot()->declared;
  json result{{"protocolVersion", protocol::to_string(negotiated)},
              {"capabilities", capabilities()},
              {"serverInfo", to_wire(cfg_->info, *rev_)}};
  if (!cfg_->instructions.empty())
    result["instructions"] = cfg_->instructions;
  reply(req.id, std::move(result));
  if (tasks_enabled())
    watch_task_status();
}

json server_state::capabilities() const {
  auto offers = [this](feature_kind k) { return (offered_ & bit(k)) != 0; };
  json caps = json::object();
  if (rev_->has_logging_set_level)
    caps["logging"] = json::object();
  // completion/complete always answers (empty values without a provider), so
  // the capability is declared wherever the revision has it.
  if (rev_->has_completions_capability)
    caps["completions"] = json::object();
  if (offers(feature_kind::prompts))
    caps["prompts"] = {{"listChanged", true}};
  if (offers(feature_kind::resources))
    caps["resources"] = {{"subscribe", true}, {"listChanged", true}};
  if (offers(feature_kind::tools))
    caps["tools"] = {{"listChanged", true}};
  // Tasks are scoped to the session that made them, which is what makes
  // `list` safe to offer without an auth context.
  if (tasks_enabled())
    caps["tasks"] = {{"list", json::object()},
                     {"cancel", json::object()},
                     {"requests", {{"tools", {{"call", json::object()}}}}}};
  return caps;
}

void server_state::handle_ping(request& req) {
  reply(req.id, json::object());
}

void server_state::handle_set_level(request& req) {
  const json* level = nullptr;
  if (req.params && req.params->is_object())
    if (auto it = req.params->find("level"); it != req.params->end() && it->is_string())
      level = &*it;
  auto parsed = level ? protocol::parse_log_level(level->get_ref<const std::string&>())
                      : std::optional<protocol::log_level>{};
  if (!parsed) {
    reply_error(req.id, protocol::invalid_params(
                            "Invalid params: level must be one of debug, info, notice, warning, "
                            "error, critical, alert, emergency",
                            "invalid_log_level"));
    return;
  }
  log_threshold_ = *parsed;
  reply(req.id, json::object());
}

void server_state::on_features_changed(uint8_t kinds) {
  // Only what this client was offered; completions have no list.
  pending_list_changed_ |= kinds & offered_ & ~bit(feature_kind::completions);
  if (pending_list_changed_ != 0 && !flush_scheduled_) {
    // A burst of registrations already queued in the mailbox collapses into
    // one notification per list.
    flush_scheduled_ = true;
    self_->send(self_, list_flush_atom::value);
  }
}

void server_state::on_list_flush() {
  flush_scheduled_ = false;
  auto pending = pending_list_changed_;
  pending_list_changed_ = 0;
  if (lifecycle_.state() != protocol::lifecycle_state::initialized)
    return; // the client lists after initializing anyway
  if ((pending & bit(feature_kind::tools)) != 0)
    notify(method::notify_tools_list_changed, json::object());
  if ((pending & bit(feature_kind::resources)) != 0)
    notify(method::notify_resources_list_changed, json::object());
  if ((pending & bit(feature_kind::prompts)) != 0)
    notify(method::notify_prompts_list_changed, json::object());
}

void server_state::schedule_liveness_ping() {
  if (cfg_->options.ping_interval.count() > 0)
    self_->delayed_send(self_, cfg_->options.ping_interval, liveness_atom::value);
}

void server_state::on_liveness_ping() {
  if (lifecycle_.state() == protocol::lifecycle_state::closed)
    return;
  client_call ping;
  ping.method = std::string{method::ping};
  ping.params = json::object();
  ping.timeout = cfg_->options.ping_timeout;
  // Runs on this actor (the session answers every client_call itself).
  ping.reply = [this](caf::expected<json> r) {
    if (lifecycle_.state() == protocol::lifecycle_state::closed)
      return;
    if (!r && r.error() == mcp_errc::request_timeout)
      return end_session(caf::make_error(mcp_errc::request_timeout,
                                         std::string{"the client did not answer ping"}));
    schedule_liveness_ping(); // answered (even with an error): the peer is alive
  };
  on_client_call(ping);
}

void server_state::on_roots_list_changed() {
  if (info_ && cfg_->on_roots_list_changed)
    cfg_->on_roots_list_changed(*info_);
}

void server_state::on_elicitation_complete(const std::string& elicitation_id) {
  // Only to a client that can have started a URL-mode elicitation.
  if (!info_ || !info_->client_has_elicitation_url())
    return;
  notify(method::notify_elicitation_complete, {{"elicitationId", elicitation_id}});
}

void server_state::on_log(ctx_log& msg) {
  if (!protocol::passes_threshold(msg.level, log_threshold_))
    return;
  if (!lifecycle_.may_send_notification(method::notify_message))
    return;
  if (!log_messages_.take()) {
    ++dropped_logs_;
    return;
  }
  json params{{"level", protocol::to_string(msg.level)}, {"data", std::move(msg.data)}};
  if (!msg.logger.empty())
    params["logger"] = std::move(msg.logger);
  tag_related_task(msg.call_key, params);
  // Related to its request while that runs (Streamable HTTP then puts it on
  // the request's stream); a late log is sent unrelated.
  std::string related;
  if (auto it = calls_.find(msg.call_key); it != calls_.end())
    related = it->second.related;
  notify(method::notify_message, std::move(params), std::move(related));
}

void server_state::on_progress(ctx_progress& msg) {
  auto it = calls_.find(msg.call_key);
  // No token, no progress; and none after completion (the call is gone).
  if (it == calls_.end() || !it->second.progress_token)
    return;
  auto& call = it->second;
  // "The progress value MUST increase with each notification."
  if (call.last_progress && msg.progress <= *call.last_progress)
    return;
  call.last_progress = msg.progress;
  json params{{"progressToken", *call.progress_token}, {"progress", number_to_json(msg.progress)}};
  if (msg.total)
    params["total"] = number_to_json(*msg.total);
  if (rev_->has_progress_message && !msg.message.empty())
    params["message"] = std::move(msg.message);
  tag_related_task(msg.call_key, params);
  notify(method::notify_progress, std::move(params), call.related);
}

} // namespace cafmcp::mcp
