// The time source of the services: Unix milliseconds from a function the settings carry.
//
// Why a function and not std::chrono calls in place: TTL expiry is the services' main timed
// behaviour, and a test must be able to move time forward instead of sleeping through a TTL.
// Why wall-clock time: the times are also what clients see (a task's createdAt), and one clock
// keeps "created" and "expires" consistent. A wall-clock jump can shorten or stretch a TTL by
// the size of the jump, which is harmless for ttls of minutes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace cafmcp::services {

using clock_fn = std::function<std::int64_t()>;

// Milliseconds since the Unix epoch, from std::chrono::system_clock.
std::int64_t system_clock_ms();

// ISO 8601 in UTC with milliseconds, e.g. "2025-11-25T09:30:00.123Z" (MCP's createdAt).
std::string iso8601_utc(std::int64_t unix_ms);

} // namespace cafmcp::services
