#include "cafmcp/actors/mcp/job_worker.hpp"

#include <atomic>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "cafmcp/actors/mcp/call_channel.hpp"
#include "cafmcp/actors/mcp/server_messages.hpp"

namespace cafmcp::mcp {

namespace detail {

struct async_result_state {
  explicit async_result_state(caf::actor w) : worker(std::move(w)) {}

  ~async_result_state() {
    deliver(job_outcome::failure(
        protocol::internal_error("The handler dropped its completion without answering")));
  }

  void deliver(job_outcome outcome) {
    if (!answered.exchange(true, std::memory_order_acq_rel))
      caf::anon_send(worker, job_fin_atom::value, std::move(outcome));
  }

  // Strong on purpose: while an answer is outstanding, this handle is what
  // keeps the worker of an async handler alive.
  caf::actor worker;
  std::atomic<bool> answered{false};
};

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
        auto state = std::make_shared<detail::async_result_state>(channel->worker);
        call_context ctx{channel};
        try {
          work(ctx, async_result{state});
        } catch (const std::exception& e) {
          state->deliver(job_outcome::failure(protocol::internal_error(e.what())));
        } catch (...) {
          state->deliver(
              job_outcome::failure(protocol::internal_error("The handler threw a non-exception")));
        }
      },
      [self, channel](job_fin_atom, job_outcome& outcome) {
        self->send(channel->session, job_done_atom::value, channel->call_key, std::move(outcome));
        // channel->worker (a handle to this actor) is left alone: handler
        // threads may still read it. The cycle it forms through this
        // behavior ends when quit() clears the behavior.
        self->quit();
      },
      [](job_post_atom, deferred_call& call) {
        // A continuation's exception must not kill the worker: the handler
        // would then never answer. It answers through its async_result.
        try {
          call.fn();
        } catch (...) {
        }
      },
  };
}

} // namespace cafmcp::mcp
