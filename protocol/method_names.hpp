#pragma once

// Every MCP 2025-11-25 method and notification name (checklist §4), so that
// no other file spells them as string literals.

#include <string_view>

namespace cafmcp::protocol::method {

// Client -> server requests.
inline constexpr std::string_view initialize = "initialize";
inline constexpr std::string_view ping = "ping";
inline constexpr std::string_view tools_list = "tools/list";
inline constexpr std::string_view tools_call = "tools/call";
inline constexpr std::string_view resources_list = "resources/list";
inline constexpr std::string_view resources_templates_list = "resources/templates/list";
inline constexpr std::string_view resources_read = "resources/read";
inline constexpr std::string_view resources_subscribe = "resources/subscribe";
inline constexpr std::string_view resources_unsubscribe = "resources/unsubscribe";
inline constexpr std::string_view prompts_list = "prompts/list";
inline constexpr std::string_view prompts_get = "prompts/get";
inline constexpr std::string_view logging_set_level = "logging/setLevel";
inline constexpr std::string_view completion_complete = "completion/complete";
inline constexpr std::string_view tasks_get = "tasks/get";
inline constexpr std::string_view tasks_result = "tasks/result";
inline constexpr std::string_view tasks_list = "tasks/list";
inline constexpr std::string_view tasks_cancel = "tasks/cancel";

// Server -> client requests.
inline constexpr std::string_view sampling_create_message = "sampling/createMessage";
inline constexpr std::string_view elicitation_create = "elicitation/create";
inline constexpr std::string_view roots_list = "roots/list";

// Notifications (either direction unless noted).
inline constexpr std::string_view notify_initialized = "notifications/initialized";
inline constexpr std::string_view notify_cancelled = "notifications/cancelled";
inline constexpr std::string_view notify_progress = "notifications/progress";
inline constexpr std::string_view notify_message = "notifications/message"; // log, server->client
inline constexpr std::string_view notify_roots_list_changed = "notifications/roots/list_changed";
inline constexpr std::string_view notify_tasks_status = "notifications/tasks/status";
inline constexpr std::string_view notify_resources_updated = "notifications/resources/updated";
inline constexpr std::string_view notify_resources_list_changed =
    "notifications/resources/list_changed";
inline constexpr std::string_view notify_prompts_list_changed =
    "notifications/prompts/list_changed";
inline constexpr std::string_view notify_tools_list_changed = "notifications/tools/list_changed";
inline constexpr std::string_view notify_elicitation_complete =
    "notifications/elicitation/complete";

} // namespace cafmcp::protocol::method
