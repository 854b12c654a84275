#pragma once
// The actor that runs one handler call off the session actor, so that a slow,
// blocking or crashing handler never stops its session from answering ping,
// cancellation or other requests (DESIGN.md §3).
//
// The session spawns a worker per call (caf::detached for execution::blocking,
// a scheduled actor for execution::cooperative), monitors it and sends it
// job_run_atom. The worker runs the job with a call_context and an
// async_result; whichever thread answers sends job_fin_atom to the worker,
// which forwards (job_done_atom, key, outcome) to the session and quits. The
// hop through the worker keeps order: logs and progress the handler sent
// before answering reach the session before its result. An exception from
// the job is its failure; it never escapes the worker.

#include <functional>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/mcp/async_result.hpp"
#include "cafmcp/actors/mcp/call_context.hpp"

namespace cafmcp::mcp {

namespace detail {
struct call_channel;
} // namespace detail

// One handler invocation: it must eventually call `done` (or drop every copy
// of it, which answers with an internal error).
using job = std::function<void(call_context& ctx, async_result done)>;

caf::behavior job_worker(caf::event_based_actor* self,
                         std::shared_ptr<detail::call_channel> channel, job work);

} // namespace cafmcp::mcp
