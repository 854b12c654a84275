#pragma once
// Running one handler call.
//
// execution::blocking: the session spawns a caf::detached worker per call, so
// that a slow or blocking handler never stops its session from answering
// ping, cancellation or other requests (DESIGN.md §3). It monitors the worker
// and sends it job_run_atom. The worker runs the job with a call_context and
// an async_result; whichever thread answers sends job_fin_atom to the
// worker, which forwards (job_done_atom, key, outcome) to the session and
// quits. The hop through the worker keeps order: logs and progress the
// handler sent before answering reach the session before its result.
//
// execution::cooperative: the handler promises to return at once and never
// block, so the session runs it itself (detail::run_job) and takes its
// continuations (job_post_atom). A worker actor per call cost more than such
// a handler: the spawn, and CAF 0.17's hand-off of every ending actor to its
// timer thread, were a fifth of the server's CPU in the throughput bench.
//
// An exception from the job is its failure; it never escapes.

#include <functional>
#include <memory>
#include <optional>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/mcp/async_result.hpp"
#include "cafmcp/actors/mcp/call_context.hpp"
#include "cafmcp/actors/mcp/server_messages.hpp"

namespace cafmcp::mcp {

namespace detail {
struct call_channel;
} // namespace detail

// One handler invocation: it must eventually call `done` (or drop every copy
// of it, which answers with an internal error).
using job = std::function<void(call_context& ctx, async_result done)>;

caf::behavior job_worker(caf::event_based_actor* self,
                         std::shared_ptr<detail::call_channel> channel, job work);

namespace detail {

// Runs `work` on the calling actor with the call's context and result; the
// answer goes where `channel` says (its worker, or its session when
// `channel->on_session`). `channel->worker` must be set. On the session, an
// answer the handler gave before returning and before sending the session
// anything is returned instead: the caller takes it right away.
std::optional<job_outcome> run_job(const std::shared_ptr<call_channel>& channel, const job& work);

// Runs an async handler's continuation, swallowing its exception.
void run_continuation(deferred_call& call);

} // namespace detail

} // namespace cafmcp::mcp
