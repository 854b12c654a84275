#pragma once
// What a running handler (tool call, resource read, prompt get) can do with
// the session that called it (checklist §4 Logging, Progress, Cancellation,
// Sampling, Elicitation, Roots). A cheap, copyable handle: async handlers keep
// a copy for as long as they work. Every member is safe to call from any
// thread; nothing here blocks except the three blocking requests.
//
// Server->client requests come in two forms:
// * blocking (create_message, elicit, list_roots) wait on the calling thread;
//   for handlers with execution::blocking only (they run on their own thread);
//   a cooperative handler gets mcp_errc::blocking_in_cooperative at once.
// * async (*_async) return at once; `on_reply` later runs on the handler's
//   actor (its worker, or its session for a cooperative handler), never
//   concurrently with other continuations of that call.
//   For async (cooperative) handlers. In a synchronous handler the reply
//   would arrive after the handler returned and is dropped.
// Each request is checked against what the client declared before anything
// is sent (mcp_errc::capability_missing), has a timeout (the session's
// default when `timeout` is zero; on expiry the client gets
// notifications/cancelled and the caller mcp_errc::request_timeout), and
// fails with mcp_errc::request_cancelled when the call itself is cancelled.
// A JSON-RPC error from the client is mcp_errc::client_error with the code
// and message as context.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/session_info.hpp"
#include "cafmcp/protocol/log_level.hpp"

namespace cafmcp::mcp {

namespace detail {
struct call_channel;
} // namespace detail

// (elicitation_complete_atom, std::string elicitation_id) to a session
// actor: the out-of-band part of a URL-mode elicitation it started is done.
using elicitation_complete_atom = caf::atom_constant<caf::atom("mcp_elcmp")>;

class call_context {
public:
  using reply_fn = std::function<void(caf::expected<nlohmann::json>)>;

  explicit call_context(std::shared_ptr<detail::call_channel> channel);

  const session_info& session() const;

  // The request's params._meta (an empty object when absent).
  const nlohmann::json& meta() const;

  // True once the client cancelled this request (notifications/cancelled) or
  // the session ended. A cancelled call's result is discarded; handlers
  // should check this between steps and stop early.
  bool is_cancelled() const noexcept;

  // notifications/message, if `level` passes the client's logging/setLevel
  // threshold (the session filters and rate-limits).
  void log(protocol::log_level level, nlohmann::json data, std::string logger = {}) const;

  // notifications/progress, sent only when the request carried
  // _meta.progressToken; values that do not increase are dropped, as is
  // anything after the call completed.
  void progress(double progress, std::optional<double> total = std::nullopt,
                std::string message = {}) const;

  // sampling/createMessage. Needs the client's `sampling` capability, and
  // `sampling.tools` when params carry tools or toolChoice.
  caf::expected<nlohmann::json> create_message(nlohmann::json params,
                                               caf::timespan timeout = caf::timespan{0}) const;
  void create_message_async(nlohmann::json params, reply_fn on_reply,
                            caf::timespan timeout = caf::timespan{0}) const;

  // elicitation/create. Form mode (mode "form" or absent) needs
  // `elicitation` (or `elicitation.form`) and a flat requestedSchema of
  // primitive properties; URL mode needs `elicitation.url`.
  caf::expected<nlohmann::json> elicit(nlohmann::json params,
                                       caf::timespan timeout = caf::timespan{0}) const;
  void elicit_async(nlohmann::json params, reply_fn on_reply,
                    caf::timespan timeout = caf::timespan{0}) const;

  // notifications/elicitation/complete{elicitationId} to this client, once
  // the out-of-band part of a URL-mode elicitation it was sent is done. May be
  // called after the handler returned; dropped if the client cannot do URL
  // mode. Later, from anywhere: send (elicitation_complete_atom, id) to
  // session_actor().
  void elicitation_complete(std::string elicitation_id) const;

  // The session actor this call belongs to.
  const caf::actor& session_actor() const;

  // roots/list. Needs the client's `roots` capability.
  caf::expected<nlohmann::json> list_roots(caf::timespan timeout = caf::timespan{0}) const;
  void list_roots_async(reply_fn on_reply, caf::timespan timeout = caf::timespan{0}) const;

private:
  caf::error check(std::string_view method, const nlohmann::json& params) const;
  caf::expected<nlohmann::json> request(std::string_view method, nlohmann::json params,
                                        caf::timespan timeout) const;
  void request_async(std::string_view method, nlohmann::json params, reply_fn on_reply,
                     caf::timespan timeout) const;

  std::shared_ptr<detail::call_channel> ch_;
};

} // namespace cafmcp::mcp
