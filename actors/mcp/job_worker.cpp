#include "cafmcp/actors/mcp/job_worker.hpp"

#include <atomic>
#include <optional>
#include <thread>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "cafmcp/actors/mcp/call_channel.hpp"
#include "cafmcp/actors/mcp/server_messages.hpp"

namespace cafmcp::mcp {

namespace detail {

struct async_result_state {
  explicit async_result_state(std::shared_ptr<call_channel> ch) : channel(std::move(ch)) {}

  ~async_result_state() {
    deliver(job_outcome::failure(
        protocol::internal_error("The handler dropped its completion without answering")));
  }

  // A worker forwards the answer to the session and quits; a handler on the
  // session answers it directly. Either way the answer leaves the answering
  // thread after the logs and progress that thread sent, so they stay ahead.
  // An answer given by the handler run_job is still running on this thread,
  // before it sent the session anything, has nothing to stay behind: run_job
  // hands it back and the session takes it at once, not through its mailbox.
  void deliver(job_outcome outcome) {
    if (answered.exchange(true, std::memory_order_acq_rel))
      return;
    if (runner.load(std::memory_order_acquire) == std::this_thread::get_id() &&
        channel->sent_to_session.load(std::memory_order_acquire) == 0) {
      immediate = std::move(outcome);
      return;
    }
    if (channel->on_session)
      caf::anon_send(channel->session, job_done_atom::value, channel->call_key, std::move(outcome));
    else
      caf::anon_send(channel->worker, job_fin_atom::value, std::move(outcome));
  }

  // Strong handles on purpose (through the channel): while an answer is
  // outstanding, they keep the worker of an async handler alive.
  std::shared_ptr<call_channel> channel;
  std::atomic<bool> answered{false};
  // The thread run_job runs the handler on, while it does (on the session
  // only); `immediate` is only touched by that thread.
  std::atomic<std::thread::id> runner{};
  std::optional<job_outcome> immediate;
};

std::optional<job_outcome> run_job(const std::shared_ptr<call_channel>& channel, const job& work) {
  auto state = std::make_shared<async_result_state>(channel);
  if (channel->on_session)
    state->runner.store(std::this_thread::get_id(), std::memory_order_release);
  call_context ctx{channel};
  try {
    work(ctx, async_result{state});
  } catch (const std::exception& e) {
    state->deliver(job_outcome::failure(protocol::internal_error(e.what())));
  } catch (...) {
    state->deliver(
        job_outcome::failure(protocol::internal_error("The handler threw a non-exception")));
  }
  state->runner.store(std::thread::id{}, std::memory_order_release);
  return std::move(state->immediate);
}

void run_continuation(deferred_call& call) {
  // A continuation's exception must not end its actor: the handler would
  // then never answer. It answers through its async_result.
  try {
    call.fn();
  } catch (...) {
  }
}

} // namespace detail

async_result::async_result(std::shared_ptr<detail::async_result_state> state)
    : state_(std::move(state)) {}

void async_result::operator()(nlohmann::json result) const {
  state_->deliver(job_outcome::success(std::move(result)));
}

void async_result::fail(std::string message) const {
  state_->deliver(job_outcome::failure(protocol::internal_error(std::move(message))));
}

void async_result::fail(protocol::rpc_error error) const {
  state_->deliver(job_outcome::failure(std::move(error)));
}

bool async_result::done() const noexcept {
  return state_->answered.load(std::memory_order_acquire);
}

caf::behavior job_worker(caf::event_based_actor* self,
                         std::shared_ptr<detail::call_channel> channel, job work) {
  // A stray error message (CAF 0.17 bounces messages a receiver does not
  // understand) must not end the worker before the handler answered.
  self->set_error_handler([](caf::error&) {});
  return {
      [self, channel, work](job_run_atom) {
        channel->worker = caf::actor_cast<caf::actor>(self);
        detail::run_job(channel, work); // a worker's answer always takes the message
      },
      [self, channel](job_fin_atom, job_outcome& outcome) {
        self->send(channel->session, job_done_atom::value, channel->call_key, std::move(outcome));
        // channel->worker (a handle to this actor) is left alone: handler
        // threads may still read it. The cycle it forms through this
        // behavior ends when quit() clears the behavior.
        self->quit();
      },
      [](job_post_atom, deferred_call& call) { detail::run_continuation(call); },
  };
}

} // namespace cafmcp::mcp
