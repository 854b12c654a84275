#pragma once
// A tool as an application registers it (checklist §4 "Tools"). The registry
// validates the name (protocol/tool_name), compiles inputSchema and
// outputSchema once (protocol/json_schema) and refuses the definition if any
// of it breaks an MCP rule.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/async_result.hpp"
#include "cafmcp/actors/mcp/call_context.hpp"
#include "cafmcp/actors/mcp/execution.hpp"
#include "cafmcp/protocol/icon.hpp"

namespace cafmcp::mcp {

// Tool.execution.taskSupport (MCP 2025-11-25 tasks).
enum class task_support : uint8_t { forbidden, optional, required };

std::string_view to_string(task_support x) noexcept;

// Returns a CallToolResult ({content, structuredContent?, isError?}; see
// content.hpp). Throwing is a tool execution failure: the client gets an
// isError result with the exception's what().
using tool_fn = std::function<nlohmann::json(const nlohmann::json& args, call_context& ctx)>;

// Starts the work and returns; answers later through `done` from any thread.
using async_tool_fn =
    std::function<void(const nlohmann::json& args, call_context& ctx, async_result done)>;

struct tool_definition {
  std::string name; // 1-128 of [A-Za-z0-9_.-], unique on the node
  std::string title;
  std::string description;
  // An object schema; the default is what the spec prescribes for a tool
  // without parameters.
  nlohmann::json input_schema = {{"type", "object"}, {"additionalProperties", false}};
  // When set, every successful result must carry conforming structuredContent.
  std::optional<nlohmann::json> output_schema;
  // ToolAnnotations (title, readOnlyHint, destructiveHint, idempotentHint,
  // openWorldHint); null for none.
  nlohmann::json annotations;
  std::vector<protocol::icon> icons;
  task_support tasks = task_support::forbidden;
  nlohmann::json meta; // _meta on the Tool; null for none

  // Exactly one of the two.
  tool_fn handler;
  async_tool_fn async_handler;
  // Unset: blocking for `handler`, cooperative for `async_handler`.
  std::optional<execution> mode;
};

} // namespace cafmcp::mcp
