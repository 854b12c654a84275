// The status machine of an MCP task (2025-11-25, basic/utilities/tasks):
//
//   working        -> input_required | completed | failed | cancelled
//   input_required -> working | completed | failed | cancelled
//   completed, failed, cancelled: terminal, never change again
//
// A non-terminal status "changing" to itself is allowed: it refreshes the status message and
// lastUpdatedAt (progress text while working), and is not a transition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cafmcp::services {

enum class task_status : std::uint8_t { working, input_required, completed, failed, cancelled };

// The spec's spelling: "working", "input_required", "completed", "failed", "cancelled".
std::string to_string(task_status x);
std::optional<task_status> parse_task_status(std::string_view text);

bool is_terminal(task_status x) noexcept;

// Whether `from` may become `to` (see above). False for every change of a terminal status.
bool can_transition(task_status from, task_status to) noexcept;

} // namespace cafmcp::services
