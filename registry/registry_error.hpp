// The registry's own error category. Errors are values: every failure a caller of the registry
// can see (a missing route, a refused registration, a registry that stayed down past the caller's
// deadline) is one of these codes, carried in a caf::error.
#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace cafmcp::registry {

enum class registry_errc : std::uint8_t {
  // 0 is "no error" in CAF's error model, so codes start at 1.
  not_found = 1,
  already_registered,
  invalid_argument,
  no_healthy_pool,
  // The registry did not answer within the caller's deadline (it stayed down, or kept failing).
  registry_unavailable,
  // The caller's registry_client already has as many operations in flight as it may queue.
  client_overloaded,
};

// The category atom (at most 10 characters) that marks a caf::error as ours.
constexpr caf::atom_value registry_error_category = caf::atom("registry");

std::string to_string(registry_errc code);

// Lets `sys.render(err)` print our errors as "registry: not_found (context)". The template
// shortcut of CAF 0.17 (add_error_category<T>(atom)) does not compile (its renderer has the
// wrong signature), hence this helper.
void add_registry_error_category(caf::actor_system_config& cfg);

// True when `err` carries `code` of our category; the context (details) is ignored.
bool is(const caf::error& err, registry_errc code);

} // namespace cafmcp::registry

CAF_ERROR_CODE_ENUM(cafmcp::registry::registry_errc, "registry")
