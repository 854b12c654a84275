// Server->client requests on behalf of running handlers (checklist §2
// "Timeouts on every outgoing request", §4 Sampling, Elicitation, Roots).
// Capability checks happen in call_context before anything reaches here;
// the session checks the lifecycle, assigns ids, sends, and answers the
// handler exactly once: response, client error, timeout or cancellation.
#include "cafmcp/actors/mcp/server_state.hpp"

#include <caf/event_based_actor.hpp>

#include "cafmcp/protocol/jsonrpc_codec.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;
using nlohmann::json;

void server_state::on_client_call(client_call& call) {
  if (lifecycle_.state() == protocol::lifecycle_state::closed) {
    call.reply(caf::make_error(mcp_errc::session_closed, call.method));
    return;
  }
  std::string related;
  if (call.call_key != 0) {
    auto it = calls_.find(call.call_key);
    if (it == calls_.end()) {
      call.reply(caf::make_error(mcp_errc::request_cancelled, call.method));
      return;
    }
    related = it->second.related;
  }
  if (!lifecycle_.may_send_request(call.method)) {
    call.reply(caf::make_error(mcp_errc::not_allowed_yet, call.method));
    return;
  }
  auto id = next_client_id_++;
  if (call.call_key != 0) {
    tag_related_task(call.call_key, call.params);
    // A task waiting for its client is input_required until the answer.
    if (auto& task_id = calls_.at(call.call_key).task_id; !task_id.empty())
      set_task_status(task_id, services::task_status::input_required, call.method);
  }
  write(protocol::encode(protocol::request{id, call.method, std::move(call.params)}), related);
  client_calls_.emplace(
      id, client_pending{call.call_key, std::move(call.method), related, std::move(call.reply)});
  // There is no cancelling a delayed_send in CAF 0.17: a timer for an id that
  // was answered meanwhile finds nothing and does nothing.
  self_->delayed_send(self_, call.timeout, client_timeout_atom::value, id);
}

void server_state::on_response(const message_id& id, caf::expected<json> outcome) {
  if (!id.is_integer())
    return; // we only ever send integer ids
  auto it = client_calls_.find(id.as_integer());
  if (it == client_calls_.end())
    return; // late (timed out, cancelled) or unknown: ignored
  auto reply = std::move(it->second.reply);
  auto call_key = it->second.call_key;
  client_calls_.erase(it);
  task_input_done(call_key);
  reply(std::move(outcome));
}

void server_state::on_client_timeout(int64_t id) {
  auto it = client_calls_.find(id);
  if (it == client_calls_.end())
    return;
  auto pending = std::move(it->second);
  client_calls_.erase(it);
  task_input_done(pending.call_key);
  notify(method::notify_cancelled, {{"requestId", id}, {"reason", "Request timed out"}},
         pending.related);
  pending.reply(caf::make_error(mcp_errc::request_timeout, pending.method));
}

void server_state::fail_client_calls(std::optional<uint64_t> call_key, mcp_errc why,
                                     bool tell_client) {
  std::vector<std::pair<int64_t, client_pending>> failed;
  for (auto it = client_calls_.begin(); it != client_calls_.end();) {
    if (!call_key || it->second.call_key == *call_key) {
      failed.emplace_back(it->first, std::move(it->second));
      it = client_calls_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [id, pending] : failed) {
    if (tell_client)
      notify(method::notify_cancelled,
             {{"requestId", id}, {"reason", "The request it belonged to ended"}}, pending.related);
    pending.reply(caf::make_error(why, pending.method));
  }
}

} // namespace cafmcp::mcp
