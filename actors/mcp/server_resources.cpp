// resources/list, resources/templates/list, resources/read, subscribe and
// unsubscribe (checklist §4 "Resources": not found -32002, URIs validated,
// templates matched per RFC 6570, updates only to subscribers).
#include "cafmcp/actors/mcp/server_state.hpp"

#include <caf/event_based_actor.hpp>

#include "cafmcp/actors/mcp/paged_list.hpp"
#include "cafmcp/actors/mcp/wire_format.hpp"
#include "cafmcp/protocol/method_names.hpp"

namespace cafmcp::mcp {

namespace method = protocol::method;
using nlohmann::json;

namespace {

// params.uri as an absolute URI, or the -32602 to answer.
protocol::result<std::string, protocol::rpc_error> uri_param(const std::optional<json>& params) {
  if (!params || !params->is_object())
    return protocol::invalid_params("Invalid params: params must be an object", "invalid_uri");
  auto it = params->find("uri");
  if (it == params->end() || !it->is_string())
    return protocol::invalid_params("Invalid params: uri must be a string", "invalid_uri");
  auto uri = it->get<std::string>();
  if (!is_absolute_uri(uri))
    return protocol::invalid_params("Invalid params: uri is not an absolute URI", "invalid_uri",
                                    {{"uri", uri}});
  return uri;
}

} // namespace

void server_state::handle_resources_list(request& req) {
  auto snap = cfg_->features->snapshot();
  auto page = paged_list(
      snap->resources, req.params, method::resources_list, "resources", cfg_->options.page_size,
      [](const auto& r) -> std::string_view { return r->uri; },
      [this](const resource_definition& r) { return to_wire(r, *rev_); });
  if (page)
    reply(req.id, std::move(*page));
  else
    reply_error(req.id, page.error());
}

void server_state::handle_templates_list(request& req) {
  auto snap = cfg_->features->snapshot();
  auto page = paged_list(
      snap->templates, req.params, method::resources_templates_list, "resourceTemplates",
      cfg_->options.page_size,
      [](const auto& t) -> std::string_view { return t->def.uri_template; },
      [this](const template_entry& t) { return to_wire(t, *rev_); });
  if (page)
    reply(req.id, std::move(*page));
  else
    reply_error(req.id, page.error());
}

void server_state::handle_resources_read(request& req) {
  auto uri = uri_param(req.params);
  if (!uri)
    return reply_error(req.id, uri.error());
  auto snap = cfg_->features->snapshot();
  resource_request rr{*uri, {}};
  resource_read_fn read;
  execution mode = execution::blocking;
  if (auto res = snap->find_resource(*uri)) {
    read = res->read;
    mode = res->mode;
  } else if (auto tmpl = snap->match_template(*uri, rr.variables)) {
    read = tmpl->def.read;
    mode = tmpl->def.mode;
  } else {
    // -32002 in 2025-11-25; the seam knows what later revisions use.
    return reply_error(req.id, protocol::rpc_error{rev_->resource_not_found_code,
                                                   "Resource not found", json{{"uri", *uri}}});
  }
  auto work = [read, rr](call_context& ctx, async_result done) {
    auto result = read(rr, ctx);
    if (!result)
      return done.fail(result.error());
    json contents = json::array();
    for (const auto& c : *result)
      contents.push_back(c);
    done(json{{"contents", std::move(contents)}});
  };
  start_job(req, std::move(work), mode, nullptr);
}

void server_state::handle_subscribe(request& req) {
  auto uri = uri_param(req.params);
  if (!uri)
    return reply_error(req.id, uri.error());
  // Any valid URI may be watched, also one that does not exist yet.
  if (subscriptions_.count(*uri) == 0) {
    if (subscriptions_.size() >= cfg_->options.max_subscriptions)
      return reply_error(
          req.id, protocol::make_tagged_error(protocol::error_code::bad_request,
                                              "Too many subscriptions", "too_many_subscriptions",
                                              {{"limit", cfg_->options.max_subscriptions}}));
    if (!cfg_->subscriptions->subscribe(caf::actor_cast<caf::actor>(self_), session_id_, *uri))
      return reply_error(
          req.id, protocol::internal_error("The subscription service is unavailable; retry"));
    subscriptions_.insert(*uri);
  }
  reply(req.id, json::object());
}

void server_state::handle_unsubscribe(request& req) {
  auto uri = uri_param(req.params);
  if (!uri)
    return reply_error(req.id, uri.error());
  if (subscriptions_.erase(*uri) != 0)
    cfg_->subscriptions->unsubscribe(caf::actor_cast<caf::actor>(self_), session_id_, *uri);
  reply(req.id, json::object());
}

void server_state::on_resource_updated(const std::string& uri) {
  if (subscriptions_.count(uri) == 0)
    return;
  notify(method::notify_resources_updated, {{"uri", uri}});
}

} // namespace cafmcp::mcp
