// tools/list and tools/call (checklist §4 "Tools"): unknown tool -32602;
// input validated against the compiled schema (failure: an isError result
// from 2025-11-25 on, SEP-1303; -32602 before); handler failures and
// exceptions become isError results; structuredContent validated against
// outputSchema.
#include "cafmcp/actors/mcp/server_state.hpp"

#include "cafmcp/actors/mcp/content.hpp"
#include "cafmcp/actors/mcp/paged_list.hpp"
#include "cafmcp/actors/mcp/wire_format.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;
using nlohmann::json;

namespace {

// What the client receives for what the tool produced.
job_outcome finish_tool_call(const tool_entry& tool, bool structured_allowed, job_outcome outcome) {
  if (!outcome.ok()) {
    // -32042 must reach the client as a JSON-RPC error so it can run the URL
    // elicitations and retry; every other failure is for the model to see.
    if (outcome.error.code == protocol::error_code::url_elicitation_required)
      return outcome;
    return job_outcome::success(error_result(outcome.error.message));
  }
  auto& result = *outcome.value;
  if (!result.is_object() || !result.contains("content") || !result["content"].is_array())
    return job_outcome::success(
        error_result("Tool '" + tool.def.name + "' returned an invalid result (no content array)"));
  strip_reserved_meta(result);
  const bool is_error = result.value("isError", false);
  if (tool.output && !is_error) {
    auto sc = result.find("structuredContent");
    if (sc == result.end())
      return job_outcome::success(
          error_result("Output validation error: tool '" + tool.def.name +
                       "' has an output schema but returned no structured content"));
    if (auto errors = tool.output->validate(*sc); !errors.empty())
      return job_outcome::success(
          error_result("Output validation error: " + protocol::format_schema_errors(errors)));
  }
  if (!structured_allowed)
    result.erase("structuredContent");
  return outcome;
}

protocol::rpc_error bad_call(std::string what) {
  return protocol::invalid_params("Invalid params: " + what, "invalid_tool_call");
}

} // namespace

void server_state::handle_tools_list(request& req) {
  auto snap = cfg_->features->snapshot();
  auto page = paged_list(
      snap->tools, req.params, method::tools_list, "tools", cfg_->options.page_size,
      [](const auto& t) -> std::string_view { return t->def.name; },
      [this](const tool_entry& t) { return to_wire(t, *rev_); });
  if (page)
    reply(req.id, std::move(*page));
  else
    reply_error(req.id, page.error());
}

void server_state::handle_tools_call(request& req) {
  if (!req.params || !req.params->is_object())
    return reply_error(req.id, bad_call("params must be an object"));
  auto& p = *req.params;
  auto name = p.find("name");
  if (name == p.end() || !name->is_string())
    return reply_error(req.id, bad_call("name must be a string"));
  auto tool = cfg_->features->snapshot()->find_tool(name->get_ref<const std::string&>());
  if (!tool)
    return reply_error(req.id, protocol::invalid_params("Unknown tool: " + name->get<std::string>(),
                                                        "unknown_tool", {{"name", *name}}));
  json args = json::object();
  if (auto a = p.find("arguments"); a != p.end() && !a->is_null()) {
    if (!a->is_object())
      return reply_error(req.id, bad_call("arguments must be an object"));
    args = std::move(*a); // req is not read again
  }
  // Without the tasks capability params.task is ignored, as the spec asks of
  // such a receiver.
  const json* task = nullptr;
  if (tasks_enabled())
    if (auto t = p.find("task"); t != p.end() && t->is_object())
      task = &*t;
  if (task && tool->def.tasks == task_support::forbidden)
    return reply_error(
        req.id, protocol::make_tagged_error(protocol::error_code::method_not_found,
                                            "Tool '" + tool->def.name + "' does not support tasks",
                                            "task_forbidden"));
  if (!task && tool->def.tasks == task_support::required)
    return reply_error(req.id,
                       protocol::make_tagged_error(protocol::error_code::method_not_found,
                                                   "Tool '" + tool->def.name +
                                                       "' requires task-augmented execution",
                                                   "task_required"));
  if (!tool_calls_.take())
    return reply(req.id, error_result("Rate limit exceeded: too many tool calls, retry later"));
  if (auto errors = tool->input.validate(args); !errors.empty()) {
    auto text = "Input validation error: " + protocol::format_schema_errors(errors);
    if (rev_->input_errors_are_tool_errors)
      return reply(req.id, error_result(std::move(text)));
    return reply_error(req.id, protocol::invalid_params(std::move(text), "invalid_arguments"));
  }
  auto work = [tool, args](call_context& ctx, async_result done) {
    if (tool->def.handler)
      done(tool->def.handler(args, ctx));
    else
      tool->def.async_handler(args, ctx, std::move(done));
  };
  auto finish = [tool, structured = rev_->has_structured_content](job_outcome o) {
    return finish_tool_call(*tool, structured, std::move(o));
  };
  if (task)
    start_task(req, *task, std::move(work), *tool->def.mode, std::move(finish));
  else
    start_job(req, std::move(work), *tool->def.mode, std::move(finish));
}

} // namespace cafmcp::mcp
