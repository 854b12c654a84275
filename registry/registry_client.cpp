#include "cafmcp/registry/registry_client.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/registry/registry_atoms.hpp"
#include "cafmcp/registry/registry_error.hpp"

namespace cafmcp::registry {

namespace {

using clock_type = std::chrono::steady_clock;

// Internal to the client and its helper; the "reg_" prefix keeps them apart from other layers.
using reg_retry_atom = caf::atom_constant<caf::atom("reg_retry")>;
using reg_tick_atom = caf::atom_constant<caf::atom("reg_tick")>;

// How much longer than the deadline the caller waits for its helper. The helper answers by the
// deadline; this only covers scheduling delays, and the helper's death is reported at once
// anyway (request_receiver_down).
constexpr caf::timespan helper_slack = std::chrono::milliseconds{250};

// Failures that a registry restart explains, so trying again can help. Everything else is an
// answer: registry errors, and a registry that failed on this very request (runtime_error),
// which a retry would only repeat.
bool is_transient(const caf::error& err) {
  return err == caf::sec::request_receiver_down || err == caf::sec::request_timeout;
}

caf::timespan remaining_until(clock_type::time_point deadline) {
  return std::chrono::duration_cast<caf::timespan>(deadline - clock_type::now());
}

// A readable name for the errors a retry meets (caf::to_string(error) without an actor system
// only prints numbers).
std::string describe(const caf::error& err) {
  if (!err)
    return "none";
  if (err.category() == caf::atom("system"))
    return caf::to_string(static_cast<caf::sec>(err.code()));
  if (err.category() == registry_error_category) {
    auto result = to_string(static_cast<registry_errc>(err.code()));
    auto& context = err.context();
    if (context.match_elements<std::string>())
      result += " (" + context.get_as<std::string>(0) + ")";
    return result;
  }
  return caf::to_string(err);
}

caf::error unavailable(std::size_t attempts, const caf::error& last) {
  if (attempts == 0)
    return caf::make_error(registry_errc::registry_unavailable,
                           "no registry was published before the deadline");
  return caf::make_error(registry_errc::registry_unavailable,
                         "no answer before the deadline after " + std::to_string(attempts) +
                             " attempt(s); last failure: " + describe(last));
}

// Not an answer from anyone: it records why an attempt could not be made.
caf::error no_registry_published() {
  return caf::make_error(registry_errc::registry_unavailable, "no registry published");
}

struct retrier_state {
  static inline const char* name = "registry_retrier";
  caf::response_promise promise;
  caf::timespan backoff{0};
  std::size_t attempts = 0;
  caf::error last;
};

using retrier_ptr = caf::stateful_actor<retrier_state>*;

void give_up(retrier_ptr self) {
  self->state.promise.deliver(unavailable(self->state.attempts, self->state.last));
  self->quit();
}

// Waits for the next attempt, or gives up when the deadline leaves no room for one.
void back_off(retrier_ptr self, clock_type::time_point deadline, const client_policy& policy) {
  auto remaining = remaining_until(deadline);
  if (remaining <= caf::timespan{0})
    return give_up(self);
  auto delay = std::min(self->state.backoff, remaining);
  self->state.backoff = std::min(self->state.backoff * 2, policy.max_backoff);
  self->delayed_send(self, delay, reg_tick_atom::value);
}

// The helper that carries one operation through a registry restart. It answers its caller
// exactly once (the registry's reply, a registry error, or registry_unavailable) and then quits,
// at the latest at the deadline, so it never outlives its purpose.
template <class Reply>
caf::behavior retrier(retrier_ptr self, std::shared_ptr<const registry_ref> ref, caf::message op,
                      clock_type::time_point deadline, client_policy policy, std::size_t attempts,
                      caf::error last) {
  self->state.backoff = policy.first_backoff;
  self->state.attempts = attempts;
  self->state.last = std::move(last);
  return {
      [=](reg_retry_atom) {
        self->state.promise = self->make_response_promise();
        back_off(self, deadline, policy);
        return self->state.promise;
      },
      [=](reg_tick_atom) {
        auto remaining = remaining_until(deadline);
        if (remaining <= caf::timespan{0})
          return give_up(self);
        auto registry = ref ? ref->get() : caf::actor{};
        if (!registry) {
          self->state.last = no_registry_published();
          return back_off(self, deadline, policy);
        }
        ++self->state.attempts;
        self->request(registry, std::min(policy.attempt_timeout, remaining), op)
            .then(
                [=](Reply& reply) {
                  self->state.promise.deliver(std::move(reply));
                  self->quit();
                },
                [=](caf::error& err) {
                  if (is_transient(err)) {
                    self->state.last = std::move(err);
                    return back_off(self, deadline, policy);
                  }
                  self->state.promise.deliver(std::move(err));
                  self->quit();
                });
      },
  };
}

} // namespace

registry_client::registry_client(caf::event_based_actor* self,
                                 std::shared_ptr<const registry_ref> ref, client_policy policy)
    : self_(self), ref_(std::move(ref)), policy_(policy),
      shared_(std::make_shared<shared_counters>()) {
  // nop
}

template <class Reply>
void registry_client::run(caf::message op, std::function<void(Reply&)> on_ok,
                          std::function<void(caf::error)> on_error) {
  auto shared = shared_;
  if (shared->pending >= policy_.max_pending) {
    ++shared->stats.overloaded;
    on_error(caf::make_error(registry_errc::client_overloaded,
                             std::to_string(shared->pending) + " operations in flight"));
    return;
  }
  ++shared->pending;
  ++shared->stats.started;
  auto deadline = clock_type::now() + policy_.deadline;
  auto succeed = [shared, on_ok](Reply& reply) {
    --shared->pending;
    ++shared->stats.succeeded;
    on_ok(reply);
  };
  auto fail = [shared, on_error](caf::error err) {
    --shared->pending;
    ++shared->stats.failed;
    on_error(std::move(err));
  };
  // Moves the operation to a retrier once the first attempt failed transiently.
  auto hand_over = [=, self = self_, ref = ref_, policy = policy_](std::size_t attempts,
                                                                   caf::error last) {
    ++shared->stats.retried;
    auto helper = self->spawn(retrier<Reply>, ref, op, deadline, policy, attempts, std::move(last));
    auto wait = std::max(remaining_until(deadline), caf::timespan{0}) + helper_slack;
    self->request(helper, wait, reg_retry_atom::value)
        .then([succeed](Reply& reply) { succeed(reply); },
              [fail, attempts](caf::error& err) {
                // The helper itself failed to answer (it died or hung): still a clear error.
                fail(is_transient(err) ? unavailable(attempts, err) : std::move(err));
              });
  };
  auto registry = ref_ ? ref_->get() : caf::actor{};
  if (!registry) {
    hand_over(0, no_registry_published());
    return;
  }
  self_->request(registry, std::min(policy_.attempt_timeout, policy_.deadline), std::move(op))
      .then([succeed](Reply& reply) { succeed(reply); },
            [fail, hand_over](caf::error& err) {
              if (is_transient(err))
                hand_over(1, std::move(err));
              else
                fail(std::move(err));
            });
}

void registry_client::lookup(std::string id, lookup_callback on_done) {
  run<caf::actor>(
      caf::make_message(reg_find_atom::value, std::move(id)),
      [on_done](caf::actor& server) { on_done(std::move(server)); },
      [on_done](caf::error err) { on_done(std::move(err)); });
}

void registry_client::add(std::string id, caf::actor server, std::size_t pool,
                          done_callback on_done) {
  run<caf::ok_atom>(
      caf::make_message(reg_add_atom::value, std::move(id), std::move(server), pool),
      [on_done](caf::ok_atom&) { on_done(caf::none); }, on_done);
}

void registry_client::remove(std::string id, done_callback on_done) {
  run<caf::ok_atom>(
      caf::make_message(reg_del_atom::value, std::move(id)),
      [on_done](caf::ok_atom&) { on_done(caf::none); },
      [on_done](caf::error err) {
        // The route is gone either way (an earlier attempt may have removed it before a restart).
        on_done(is(err, registry_errc::not_found) ? caf::error{} : std::move(err));
      });
}

} // namespace cafmcp::registry
