#pragma once
// The state one running handler shares with its session: how to reach the
// session, whether the call was cancelled, and who the caller is. The session
// keeps one per in-flight request; the handler's call_context holds another
// reference, so either side may outlive the other.

#include <atomic>
#include <cstdint>
#include <memory>

#include <caf/actor.hpp>
#include <caf/timespan.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/session_info.hpp"

namespace cafmcp::mcp::detail {

struct call_channel {
  caf::actor session;
  uint64_t call_key = 0;
  std::shared_ptr<const session_info> info;
  nlohmann::json meta = nlohmann::json::object(); // the request's params._meta
  caf::timespan default_timeout{0};               // for server->client requests
  // Set by the session on notifications/cancelled or when it ends; read by
  // the handler on its own thread.
  std::atomic<bool> cancelled{false};
  // The actor running the handler's continuations: its worker
  // (execution::blocking), or the session itself (execution::cooperative).
  // Written before the handler starts, only read afterwards.
  caf::actor worker;
  // True when the handler runs on the session actor: a blocking request
  // would wait for the actor it blocks, so call_context refuses it.
  bool on_session = false;
  // How many messages the call_context sent to the session: an answer given
  // before any of them may skip the mailbox (job_worker.cpp, run_job).
  std::atomic<uint32_t> sent_to_session{0};
};

} // namespace cafmcp::mcp::detail
