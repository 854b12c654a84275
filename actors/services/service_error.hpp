// The error category of the node's services. Errors are values: every failure a caller of a
// service can see is one of these codes in a caf::error, with details in its context.
#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace cafmcp::services {

enum class svc_errc : std::uint8_t {
  // 0 is "no error" in CAF's error model, so codes start at 1.
  not_found = 1,      // unknown (or no longer known) session, task, stream, icon owner
  session_terminated, // the session was ended (DELETE, its server died); HTTP answers 404
  session_expired,    // the session outlived its ttl without activity; HTTP answers 404
  invalid_argument,   // an empty id, a malformed stream id, an unknown status, ...
  at_capacity,        // a configured bound is reached (sessions, tasks per requestor, ...)
  illegal_transition, // a task status change the status machine forbids
  already_terminal,   // the task is completed, failed or cancelled; it never changes again
  task_expired,       // the task's ttl ran out (while a tasks/result was waiting, say)
  unknown_event_id,   // SSE: Last-Event-ID was never issued for this session
  history_evicted,    // SSE: events after Last-Event-ID were dropped; no partial replay
  invalid_icon,       // an icon list failed validation; the context says why
  invalid_cursor,     // a pagination cursor that this list did not issue
  service_restarted,  // the service died while the request waited: retry it
};

// The category atom (at most 10 characters) that marks a caf::error as ours.
constexpr caf::atom_value services_error_category = caf::atom("services");

std::string to_string(svc_errc code);

// Lets `sys.render(err)` print our errors as "services: not_found (context)". CAF 0.17.6's
// add_error_category<T> does not compile, hence the explicit renderer.
void add_services_error_category(caf::actor_system_config& cfg);

// True when `err` carries `code` of our category; the context is ignored.
bool is(const caf::error& err, svc_errc code);

} // namespace cafmcp::services

CAF_ERROR_CODE_ENUM(cafmcp::services::svc_errc, "services")
