#include "cafmcp/actors/mcp/load_fixtures.hpp"

#include "cafmcp/actors/mcp/call_context.hpp"
#include "cafmcp/actors/mcp/execution.hpp"
#include "cafmcp/actors/mcp/tool.hpp"

namespace cafmcp::mcp::load {

caf::expected<void> register_fixtures(feature_registry& features) {
  tool_definition echo;
  echo.name = "echo";
  echo.description = "Returns its text, and the id of the session that called it";
  echo.input_schema = {
      {"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}, {"required", {"text"}}};
  echo.output_schema = {
      {"type", "object"},
      {"properties", {{"text", {{"type", "string"}}}, {"session", {{"type", "string"}}}}},
      {"required", {"text", "session"}}};
  echo.handler = [](const nlohmann::json& args, call_context& ctx) {
    return nlohmann::json{
        {"content", {{{"type", "text"}, {"text", args.at("text")}}}},
        {"structuredContent", {{"text", args.at("text")}, {"session", ctx.session().session_id}}}};
  };
  // It never blocks: it runs on CAF's scheduler, not on a thread of its own.
  echo.mode = execution::cooperative;
  return features.add_tool(std::move(echo));
}

} // namespace cafmcp::mcp::load
