#pragma once
// Secure random identifiers for sessions (and, later, tasks).
//
// MCP asks for session ids that are globally unique and cryptographically
// secure, made of visible ASCII (checklist §6 "Sessions"); task ids must be
// cryptographically secure when there is no auth-context binding (§5). Both
// come from the kernel's CSPRNG (getrandom(2)), never from std::mt19937 or
// std::random_device (whose source the standard leaves open).

#include <cstddef>
#include <string>

#include <caf/expected.hpp>

namespace cafmcp::mcp {

// 128 random bits as 32 lower-case hex digits. Fails only if the kernel
// cannot supply entropy (mcp_errc::no_entropy).
caf::expected<std::string> make_secure_id(std::size_t random_bytes = 16);

} // namespace cafmcp::mcp
