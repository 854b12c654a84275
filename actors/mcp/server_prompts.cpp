// prompts/list, prompts/get and completion/complete (checklist §4 "Prompts":
// invalid name or missing required arguments -32602; "Completion": at most
// 100 values, total and hasMore).
#include "cafmcp/actors/mcp/server_state.hpp"

#include "cafmcp/actors/mcp/paged_list.hpp"
#include "cafmcp/actors/mcp/wire_format.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;
using nlohmann::json;

namespace {

constexpr std::size_t max_completion_values = 100;

protocol::rpc_error bad(std::string what, std::string_view reason) {
  return protocol::invalid_params("Invalid params: " + what, reason);
}

// An object of string values (prompt arguments, completion context).
protocol::result<std::map<std::string, std::string>, protocol::rpc_error>
string_map(const json& obj, const char* what) {
  std::map<std::string, std::string> out;
  if (obj.is_null())
    return out;
  if (!obj.is_object())
    return bad(std::string{what} + " must be an object", "invalid_arguments");
  for (const auto& [k, v] : obj.items()) {
    if (!v.is_string())
      return bad(std::string{what} + "." + k + " must be a string", "invalid_arguments");
    out.emplace(k, v.get<std::string>());
  }
  return out;
}

json completion_json(completion_values v) {
  bool truncated = v.values.size() > max_completion_values;
  auto total = v.total;
  if (truncated) {
    if (!total)
      total = v.values.size();
    v.values.resize(max_completion_values);
  }
  json c{{"values", std::move(v.values)}, {"hasMore", v.has_more || truncated}};
  if (total)
    c["total"] = *total;
  return json{{"completion", std::move(c)}};
}

} // namespace

void server_state::handle_prompts_list(request& req) {
  auto snap = cfg_->features->snapshot();
  auto page = paged_list(
      snap->prompts, req.params, method::prompts_list, "prompts", cfg_->options.page_size,
      [](const auto& p) -> std::string_view { return p->name; },
      [this](const prompt_definition& p) { return to_wire(p, *rev_); });
  if (page)
    reply(req.id, std::move(*page));
  else
    reply_error(req.id, page.error());
}

void server_state::handle_prompts_get(request& req) {
  if (!req.params || !req.params->is_object())
    return reply_error(req.id, bad("params must be an object", "invalid_prompt_get"));
  const auto& p = *req.params;
  auto name = p.find("name");
  if (name == p.end() || !name->is_string())
    return reply_error(req.id, bad("name must be a string", "invalid_prompt_get"));
  auto prompt = cfg_->features->snapshot()->find_prompt(name->get_ref<const std::string&>());
  if (!prompt)
    return reply_error(req.id,
                       protocol::invalid_params("Unknown prompt: " + name->get<std::string>(),
                                                "unknown_prompt", {{"name", *name}}));
  auto args = string_map(p.value("arguments", json{}), "arguments");
  if (!args)
    return reply_error(req.id, args.error());
  for (const auto& a : prompt->arguments)
    if (a.required && args->count(a.name) == 0)
      return reply_error(req.id,
                         protocol::invalid_params("Missing required argument: " + a.name,
                                                  "missing_argument", {{"argument", a.name}}));
  prompt_request pr{prompt->name, std::move(*args)};
  auto work = [prompt, pr](call_context& ctx, async_result done) {
    auto result = prompt->get(pr, ctx);
    if (!result)
      return done.fail(result.error());
    auto& value = *result;
    if (value.is_array())
      return done(json{{"messages", std::move(value)}});
    if (!value.is_object() || !value.contains("messages") || !value["messages"].is_array())
      return done.fail(
          protocol::internal_error("Prompt '" + prompt->name + "' returned no messages array"));
    done(std::move(value));
  };
  auto finish = [](job_outcome o) {
    if (o.ok())
      strip_reserved_meta(*o.value);
    return o;
  };
  start_job(req, std::move(work), prompt->mode, std::move(finish));
}

void server_state::handle_complete(request& req) {
  if (!req.params || !req.params->is_object())
    return reply_error(req.id, bad("params must be an object", "invalid_completion"));
  const auto& p = *req.params;
  auto ref = p.find("ref");
  auto argument = p.find("argument");
  if (ref == p.end() || !ref->is_object() || argument == p.end() || !argument->is_object())
    return reply_error(req.id, bad("ref and argument must be objects", "invalid_completion"));
  auto type = ref->value("type", std::string{});
  auto snap = cfg_->features->snapshot();
  completion_request cr;
  if (type == "ref/prompt") {
    auto n = ref->find("name");
    if (n == ref->end() || !n->is_string())
      return reply_error(req.id, bad("ref.name must be a string", "invalid_completion"));
    if (!snap->find_prompt(n->get_ref<const std::string&>()))
      return reply_error(req.id, protocol::invalid_params(
                                     "Unknown prompt: " + n->get<std::string>(), "unknown_prompt"));
    cr.ref = completion_ref::prompt(n->get<std::string>());
  } else if (type == "ref/resource") {
    auto u = ref->find("uri");
    if (u == ref->end() || !u->is_string())
      return reply_error(req.id, bad("ref.uri must be a string", "invalid_completion"));
    const auto& uri = u->get_ref<const std::string&>();
    if (!snap->find_template(uri) && !snap->find_resource(uri))
      return reply_error(req.id,
                         protocol::invalid_params("Unknown resource: " + uri, "unknown_resource"));
    cr.ref = completion_ref::resource(uri);
  } else {
    return reply_error(
        req.id, bad(R"(ref.type must be "ref/prompt" or "ref/resource")", "invalid_completion"));
  }
  auto arg_name = argument->find("name");
  auto arg_value = argument->find("value");
  if (arg_name == argument->end() || !arg_name->is_string() || arg_value == argument->end() ||
      !arg_value->is_string())
    return reply_error(
        req.id, bad("argument.name and argument.value must be strings", "invalid_completion"));
  cr.argument = arg_name->get<std::string>();
  cr.value = arg_value->get<std::string>();
  if (auto ctx = p.find("context"); ctx != p.end() && ctx->is_object()) {
    auto context = string_map(ctx->value("arguments", json{}), "context.arguments");
    if (!context)
      return reply_error(req.id, context.error());
    cr.context = std::move(*context);
  }
  const auto* provider = snap->find_completion(cr.ref);
  if (!provider)
    return reply(req.id, completion_json({}));
  auto work = [fn = *provider, cr](call_context&, async_result done) {
    done(completion_json(fn(cr)));
  };
  start_job(req, std::move(work), execution::cooperative, nullptr);
}

} // namespace cafmcp::mcp
