// The MCP wire form of a task (2025-11-25 Task object), for the server actor's tasks/get,
// tasks/list, tasks/cancel, CreateTaskResult and notifications/tasks/status:
//   {taskId, status, statusMessage?, createdAt, lastUpdatedAt, ttl, pollInterval?}
// Times are ISO 8601 (UTC, milliseconds); ttl and pollInterval are milliseconds.
#pragma once

#include <nlohmann/json.hpp>

#include "cafmcp/actors/services/task_messages.hpp"

namespace cafmcp::services {

nlohmann::json task_to_json(const task_record& rec);

} // namespace cafmcp::services
