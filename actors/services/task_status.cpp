#include "cafmcp/actors/services/task_status.hpp"

namespace cafmcp::services {

std::string to_string(task_status x) {
  switch (x) {
  case task_status::working:
    return "working";
  case task_status::input_required:
    return "input_required";
  case task_status::completed:
    return "completed";
  case task_status::failed:
    return "failed";
  case task_status::cancelled:
    return "cancelled";
  }
  return "unknown";
}

std::optional<task_status> parse_task_status(std::string_view text) {
  for (auto x : {task_status::working, task_status::input_required, task_status::completed,
                 task_status::failed, task_status::cancelled})
    if (text == to_string(x))
      return x;
  return std::nullopt;
}

bool is_terminal(task_status x) noexcept {
  return x == task_status::completed || x == task_status::failed || x == task_status::cancelled;
}

bool can_transition(task_status from, task_status to) noexcept {
  switch (from) {
  case task_status::working:
  case task_status::input_required:
    // Each non-terminal state reaches the other one, itself, and every terminal state.
    return to == task_status::working || to == task_status::input_required || is_terminal(to);
  case task_status::completed:
  case task_status::failed:
  case task_status::cancelled:
    break;
  }
  return false;
}

} // namespace cafmcp::services
