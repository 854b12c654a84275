#pragma once
// Error codes of the supervision library, and the exit-reason vocabulary that
// maps OTP's reasons onto CAF 0.17's caf::error.
//
//   OTP                 here
//   normal              caf::exit_reason::normal (or an empty caf::error)
//   shutdown            caf::exit_reason::user_shutdown
//   {shutdown, Term}    sup_errc::shutdown with Term in the error's context
//   killed              caf::exit_reason::kill (CAF has no kill -> killed translation)
//   any other term      any other caf::error (an exception is sec::runtime_error)

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>
#include <caf/exit_reason.hpp>
#include <caf/make_message.hpp>

namespace cafmcp::supervision {

enum class sup_errc : uint8_t {
  none = 0,
  // {shutdown, Term}: a deliberate stop; the context says why.
  shutdown,
  // A supervisor's parent died by kill: passed to its children as a trappable
  // reason, the way OTP hands linked processes `killed`.
  killed,
  // API results, named after OTP's.
  already_present,
  already_started,
  running,
  restarting,
  not_found,
  simple_one_for_one,
  // Bad flags or child specs, at start or at start_child.
  bad_start_spec,
  // A start function returned neither an actor nor ignore.
  invalid_start_result,
  // A start function threw.
  start_exception,
};

std::string to_string(sup_errc x);

// True for the reasons after which a transient child is not restarted:
// normal, shutdown and {shutdown, _}.
bool is_normal_exit(const caf::error& reason);

// True for shutdown and {shutdown, _} only.
bool is_shutdown_exit(const caf::error& reason);

// {shutdown, why}: the reason a supervisor stops with when it ends itself.
caf::error shutdown_reason(std::string why);

// Lets an actor system render these errors by name ("supervisor: not_found").
void add_error_category(caf::actor_system_config& cfg);

} // namespace cafmcp::supervision

CAF_ERROR_CODE_ENUM(cafmcp::supervision::sup_errc, "supervisor")
