#pragma once
// A child specification, as in OTP's supervisor: how to start a child, when to
// restart it, and how to stop it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <caf/message.hpp>

namespace cafmcp::supervision {

enum class restart_type : uint8_t {
  permanent, // always restarted
  transient, // restarted only after an abnormal exit
  temporary, // never restarted; its spec is dropped when it ends
};

enum class child_type : uint8_t { worker, supervisor };

// How a supervisor stops a child: kill at once, ask and wait up to a timeout
// (then kill), or ask and wait for as long as it takes.
struct shutdown_spec {
  enum class kind : uint8_t { brutal_kill, timeout, infinity };
  kind mode = kind::timeout;
  std::chrono::milliseconds timeout{5000};

  static shutdown_spec brutal_kill() { return {kind::brutal_kill, std::chrono::milliseconds{0}}; }
  static shutdown_spec after(std::chrono::milliseconds ms) { return {kind::timeout, ms}; }
  static shutdown_spec infinity() { return {kind::infinity, std::chrono::milliseconds{0}}; }
};

// How the supervisor learns that a freshly spawned child finished its init.
// OTP's start_link blocks until init/1 returns; CAF spawns asynchronously, so
// the supervisor asks the child a question it can only answer once initialized.
enum class start_ack : uint8_t {
  // CAF's built-in system query (every event-based actor answers it once its
  // behavior factory has run, and not before an await in it has completed).
  initialized,
  // The child is a supervisor of this library: it answers once all of its own
  // children started, or dies with the start error.
  supervisor_ready,
  // Do not wait (the start function already made sure).
  none,
};

// What a start function returns: a running child, or "ignore" (OTP's ignore:
// the spec is kept, without a process).
class start_result {
public:
  start_result(caf::actor child, start_ack ack = start_ack::initialized)
      : child_(std::move(child)), ack_(ack) {}

  static start_result ignore() { return start_result{}; }

  bool ignored() const noexcept { return !child_; }
  const caf::actor& child() const noexcept { return child_; }
  start_ack ack() const noexcept { return ack_; }

private:
  start_result() = default;
  caf::actor child_;
  start_ack ack_ = start_ack::none;
};

// What a start function gets: the supervisor to spawn from, the child's id, and
// (simple_one_for_one only) the extra arguments given to start_child.
struct start_context {
  caf::local_actor* self;
  const std::string& child_id;
  const caf::message& args;
};

// Must spawn the child and return it. It must not link the child to the
// supervisor: the supervisor monitors it (see DIFFERENCES in the README).
using start_fn = std::function<caf::expected<start_result>(start_context&)>;

struct child_spec {
  std::string id;
  start_fn start;
  restart_type restart = restart_type::permanent;
  // Unset means OTP's default: 5000 ms for workers, infinity for supervisors.
  std::optional<shutdown_spec> shutdown;
  child_type type = child_type::worker;
  // With auto_shutdown, the end of a significant child can end the supervisor.
  bool significant = false;

  shutdown_spec effective_shutdown() const {
    if (shutdown)
      return *shutdown;
    return type == child_type::supervisor ? shutdown_spec::infinity()
                                          : shutdown_spec::after(std::chrono::milliseconds{5000});
  }
};

std::string to_string(restart_type x);
std::string to_string(child_type x);

} // namespace cafmcp::supervision

// A child spec holds a std::function, so it can only travel between actors of
// one process; it never needs to cross nodes.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafmcp::supervision::child_spec)
