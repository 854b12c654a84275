#include "cafmcp/actors/mcp/call_context.hpp"

#include <chrono>
#include <future>

#include <caf/send.hpp>

#include "cafmcp/actors/mcp/call_channel.hpp"
#include "cafmcp/actors/mcp/elicitation_schema.hpp"
#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/mcp/sampling_rules.hpp"
#include "cafmcp/actors/mcp/server_messages.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;

namespace {

caf::error missing(std::string what) {
  return caf::make_error(mcp_errc::capability_missing, std::move(what));
}

// Everything a handler sends its session goes through here, so that run_job
// knows whether an answer may overtake it (call_channel::sent_to_session).
template <class... Ts>
void tell(detail::call_channel& ch, Ts&&... xs) {
  ch.sent_to_session.fetch_add(1, std::memory_order_acq_rel);
  caf::anon_send(ch.session, std::forward<Ts>(xs)...);
}

// How long a blocking caller waits beyond the request's own timeout before it
// stops trusting the session to answer (the session always answers first
// unless it is gone, which breaks the promise anyway).
constexpr auto blocking_grace = std::chrono::seconds{5};

} // namespace

call_context::call_context(std::shared_ptr<detail::call_channel> channel)
    : ch_(std::move(channel)) {}

const session_info& call_context::session() const {
  return *ch_->info;
}

const nlohmann::json& call_context::meta() const {
  return ch_->meta;
}

bool call_context::is_cancelled() const noexcept {
  return ch_->cancelled.load(std::memory_order_acquire);
}

void call_context::log(protocol::log_level level, nlohmann::json data, std::string logger) const {
  tell(*ch_, ctx_log_atom::value,
       ctx_log{ch_->call_key, level, std::move(logger), std::move(data)});
}

void call_context::progress(double progress, std::optional<double> total,
                            std::string message) const {
  tell(*ch_, ctx_progress_atom::value,
       ctx_progress{ch_->call_key, progress, total, std::move(message)});
}

void call_context::elicitation_complete(std::string elicitation_id) const {
  tell(*ch_, elicitation_complete_atom::value, std::move(elicitation_id));
}

const caf::actor& call_context::session_actor() const {
  return ch_->session;
}

caf::error call_context::check(std::string_view m, const nlohmann::json& params) const {
  const auto& info = session();
  if (!params.is_object())
    return caf::make_error(mcp_errc::invalid_request, std::string{"params must be an object"});
  if (m == method::sampling_create_message) {
    if (!info.client_has_sampling())
      return missing("the client did not declare sampling");
    if ((params.contains("tools") || params.contains("toolChoice")) &&
        !info.client_has_sampling_tools())
      return missing("the client did not declare sampling.tools");
    if (auto why = check_sampling_request(params))
      return caf::make_error(mcp_errc::invalid_request, *why);
  } else if (m == method::elicitation_create) {
    auto mode = params.value("mode", std::string{"form"});
    if (mode == "url") {
      if (!info.client_has_elicitation_url())
        return missing("the client did not declare elicitation.url");
      if (!params.contains("url") || !params.contains("elicitationId"))
        return caf::make_error(mcp_errc::invalid_request,
                               std::string{"url mode needs url and elicitationId"});
    } else if (mode == "form") {
      if (!info.client_has_elicitation_form())
        return missing("the client did not declare elicitation (form mode)");
      auto schema = params.find("requestedSchema");
      if (schema == params.end())
        return caf::make_error(mcp_errc::invalid_request,
                               std::string{"form mode needs requestedSchema"});
      if (auto why = check_elicitation_schema(*schema))
        return caf::make_error(mcp_errc::invalid_request, *why);
    } else {
      return caf::make_error(mcp_errc::invalid_request, "unknown elicitation mode: " + mode);
    }
  } else if (m == method::roots_list) {
    if (!info.client_has_roots())
      return missing("the client did not declare roots");
  }
  return caf::none;
}

caf::expected<nlohmann::json> call_context::request(std::string_view m, nlohmann::json params,
                                                    caf::timespan timeout) const {
  if (ch_->on_session)
    return caf::make_error(mcp_errc::blocking_in_cooperative,
                           std::string{m} + ": a cooperative handler runs on its session actor; "
                                            "use the _async form or execution::blocking");
  if (auto err = check(m, params))
    return err;
  if (timeout.count() <= 0)
    timeout = ch_->default_timeout;
  auto promise = std::make_shared<std::promise<caf::expected<nlohmann::json>>>();
  auto future = promise->get_future();
  tell(*ch_, client_call_atom::value,
       client_call{
           ch_->call_key, std::string{m}, std::move(params), timeout,
           [promise](caf::expected<nlohmann::json> r) { promise->set_value(std::move(r)); }});
  promise.reset(); // only the session's copy remains: if it dies, the wait ends
  if (future.wait_for(timeout + blocking_grace) != std::future_status::ready)
    return caf::make_error(mcp_errc::request_timeout, std::string{m});
  try {
    return future.get();
  } catch (const std::future_error&) {
    return caf::make_error(mcp_errc::session_closed, std::string{m});
  }
}

void call_context::request_async(std::string_view m, nlohmann::json params, reply_fn on_reply,
                                 caf::timespan timeout) const {
  auto worker = ch_->worker;
  // Continuations run on the handler's actor (its worker or, for a
  // cooperative handler, its session), one at a time.
  auto on_worker = [worker, on_reply = std::move(on_reply)](caf::expected<nlohmann::json> r) {
    caf::anon_send(worker, job_post_atom::value,
                   deferred_call{[on_reply, r = std::move(r)] { on_reply(r); }});
  };
  if (auto err = check(m, params)) {
    on_worker(std::move(err));
    return;
  }
  if (timeout.count() <= 0)
    timeout = ch_->default_timeout;
  tell(
      *ch_, client_call_atom::value,
      client_call{ch_->call_key, std::string{m}, std::move(params), timeout, std::move(on_worker)});
}

caf::expected<nlohmann::json> call_context::create_message(nlohmann::json params,
                                                           caf::timespan timeout) const {
  return request(method::sampling_create_message, std::move(params), timeout);
}

void call_context::create_message_async(nlohmann::json params, reply_fn on_reply,
                                        caf::timespan timeout) const {
  request_async(method::sampling_create_message, std::move(params), std::move(on_reply), timeout);
}

caf::expected<nlohmann::json> call_context::elicit(nlohmann::json params,
                                                   caf::timespan timeout) const {
  return request(method::elicitation_create, std::move(params), timeout);
}

void call_context::elicit_async(nlohmann::json params, reply_fn on_reply,
                                caf::timespan timeout) const {
  request_async(method::elicitation_create, std::move(params), std::move(on_reply), timeout);
}

caf::expected<nlohmann::json> call_context::list_roots(caf::timespan timeout) const {
  return request(method::roots_list, nlohmann::json::object(), timeout);
}

void call_context::list_roots_async(reply_fn on_reply, caf::timespan timeout) const {
  request_async(method::roots_list, nlohmann::json::object(), std::move(on_reply), timeout);
}

} // namespace cafmcp::mcp
