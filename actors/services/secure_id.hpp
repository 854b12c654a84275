// Identifiers that clients must not be able to guess: MCP session ids ("SHOULD be globally
// unique and cryptographically secure", visible ASCII only) and task ids ("cryptographically
// secure if there is no auth-context binding").
//
// Why the kernel's CSPRNG (getrandom(2), /dev/urandom as a fallback) and not std::random_device
// or a seeded PRNG: std::random_device gives no security guarantee, and a PRNG seeded once can
// be predicted from its outputs. A session id is a bearer token for the session.
#pragma once

#include <cstddef>
#include <string>

namespace cafmcp::services {

// Random bytes from the kernel. Throws std::system_error only if the kernel has no entropy
// source at all (no getrandom and no /dev/urandom), which a running Linux never lacks.
void secure_random_bytes(unsigned char* out, std::size_t n);

// `bytes` random bytes (at least 16, i.e. 128 bits) as base64url without padding: only
// A-Z a-z 0-9 '-' '_', all within the visible ASCII range 0x21-0x7E that the Streamable HTTP
// transport requires for MCP-Session-Id, safe in URLs, headers and SSE event ids.
// The default, 24 bytes (192 bits), gives 32 characters.
std::string make_secure_id(std::size_t bytes = 24);

} // namespace cafmcp::services
