#include "cafmcp/app/admin/admin_handler.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/supervision/supervisor_api.hpp"
#include "cafmcp/app/admin/dashboard_html.hpp"
#include "cafmcp/app/admin/dashboard_view.hpp"
#include "cafmcp/app/admin/health_page.hpp"
#include "cafmcp/app/admin/metrics_page.hpp"
#include "cafmcp/app/node/live_tree.hpp"

namespace cafmcp::app {

namespace sup = cafmcp::supervision;
using json = nlohmann::json;

namespace {

admin_response error_response(int status, const std::string& message) {
  return {status, json{{"error", message}}.dump()};
}

// "a=1&b=2" -> {a: 1, b: 2} (no percent-decoding: names and reasons are plain).
std::map<std::string, std::string> parse_query(const std::string& query) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < query.size()) {
    auto amp = query.find('&', pos);
    auto part = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = part.find('=');
    if (eq != std::string::npos)
      out[part.substr(0, eq)] = part.substr(eq + 1);
    else if (!part.empty())
      out[part] = "";
    if (amp == std::string::npos)
      break;
    pos = amp + 1;
  }
  return out;
}

json to_json(const tree_node& n) {
  json j{{"name", n.name}, {"type", sup::to_string(n.type)}, {"status", sup::to_string(n.status)}};
  if (n.type == sup::child_type::supervisor)
    j["counts"] = {{"specs", n.counts.specs},
                   {"active", n.counts.active},
                   {"supervisors", n.counts.supervisors},
                   {"workers", n.counts.workers}};
  if (!n.children.empty()) {
    j["children"] = json::array();
    for (auto& c : n.children)
      j["children"].push_back(to_json(c));
  }
  return j;
}

std::optional<caf::error> reason_of(const std::string& name) {
  if (name.empty() || name == "kill")
    return caf::make_error(caf::exit_reason::kill);
  if (name == "shutdown")
    return caf::make_error(caf::exit_reason::user_shutdown);
  if (name == "normal")
    return caf::make_error(caf::exit_reason::normal);
  if (name == "error")
    return caf::make_error(caf::sec::runtime_error, "killed through the admin endpoint");
  return std::nullopt;
}

} // namespace

admin_handler::admin_handler(caf::actor_system& sys, node& n, std::string token,
                             bool metrics_require_token)
    : sys_(sys), node_(n), token_(std::move(token)), metrics_require_token_(metrics_require_token),
      feed_(std::make_unique<dashboard_feed>(sys, n)), history_(std::make_shared<report_history>()),
      recorder_(record_reports(sys, history_)) {}

admin_handler::~admin_handler() {
  caf::anon_send_exit(recorder_, caf::exit_reason::user_shutdown);
}

std::pair<uint64_t, std::string> admin_handler::dashboard_event() {
  return feed_->current();
}

admin_response admin_handler::handle(const admin_request& req) {
  auto q = req.target.find('?');
  auto path = req.target.substr(0, q);
  auto query = parse_query(q == std::string::npos ? "" : req.target.substr(q + 1));
  bool observability =
      path == "/metrics" || path == "/health" || path == "/health/live" || path == "/health/ready";
  bool page = req.method == "GET" && (path == "/dashboard" || path == "/dashboard/events");
  bool authorized = req.authorization == "Bearer " + token_ ||
                    (observability && !metrics_require_token_) ||
                    (page && query.count("token") && query["token"] == token_);
  if (!authorized)
    return error_response(401, page ? "missing or wrong token (open /dashboard?token=<token>)"
                                    : "missing or wrong token (Authorization: Bearer <token>)");
  if (observability && req.method != "GET")
    return error_response(405, "GET " + path);
  if (path == "/metrics")
    return {200, render_metrics(node_), metrics_content_type};
  if (path == "/health")
    return health_response(node_);
  if (path == "/health/live")
    return live_response();
  if (path == "/health/ready")
    return ready_response(node_);
  if (path == "/alerts") {
    if (req.method != "GET")
      return error_response(405, "GET /alerts");
    return alerts();
  }
  if (path == "/dashboard") {
    if (req.method != "GET")
      return error_response(405, "GET /dashboard");
    return {200, dashboard_html, "text/html; charset=utf-8"};
  }
  if (path == "/dashboard/events") {
    if (req.method != "GET")
      return error_response(405, "GET /dashboard/events");
    admin_response r{200, {}, "text/event-stream"};
    r.event_stream = true;
    return r;
  }
  if (path == "/tree") {
    if (req.method != "GET")
      return error_response(405, "GET /tree");
    return tree();
  }
  if (path == "/kill") {
    if (req.method != "POST")
      return error_response(405, "POST /kill?name=N[&reason=R]");
    auto name = query.find("name");
    if (name == query.end() || name->second.empty())
      return error_response(400, "name is required");
    return kill(name->second, query.count("reason") ? query["reason"] : "kill");
  }
  if (path == "/events") {
    if (req.method != "GET")
      return error_response(405, "GET /events[?since=NS]");
    return events(query.count("since") ? query["since"] : "0");
  }
  if (path == "/listeners") {
    if (req.method != "GET")
      return error_response(405, "GET /listeners");
    return {200, json(node_.listening()).dump()};
  }
  if (path == "/dashboard.json") {
    if (req.method != "GET")
      return error_response(405, "GET /dashboard.json");
    return {200, feed_->current().second};
  }
  return error_response(404, "unknown path " + path);
}

admin_response admin_handler::alerts() {
  auto all = node_.state().alerts->all();
  std::stable_partition(all.begin(), all.end(), [](auto& a) { return a.active; });
  json body{{"active", 0}, {"alerts", json::array()}};
  for (auto& a : all) {
    if (a.active)
      body["active"] = body["active"].get<int>() + 1;
    body["alerts"].push_back({{"name", a.name},
                              {"active", a.active},
                              {"message", a.message},
                              {"fired", a.fired},
                              {"since_ns", a.since_ns}});
  }
  return {200, body.dump()};
}

admin_response admin_handler::events(const std::string& since) {
  std::int64_t since_ns = 0;
  auto [end, ec] = std::from_chars(since.data(), since.data() + since.size(), since_ns);
  if (ec != std::errc{} || end != since.data() + since.size())
    return error_response(400, "since must be a steady_clock time in nanoseconds");
  auto out = json::array();
  for (auto& r : history_->since(since_ns))
    out.push_back({{"kind", sup::to_string(r.kind)},
                   {"supervisor", r.supervisor},
                   {"child", r.child_id},
                   {"reason", r.reason ? caf::to_string(r.reason) : std::string{}},
                   {"steady_ns", r.steady_ns}});
  return {200, out.dump()};
}

admin_response admin_handler::tree() {
  if (!node_.root())
    return error_response(503, "the node is not running");
  auto t = read_tree(sys_, node_.root(), root_registry_name, 100);
  return {200, to_json(t).dump()};
}

admin_response admin_handler::kill(const std::string& name, const std::string& reason_name) {
  auto reason = reason_of(reason_name);
  if (!reason)
    return error_response(400, "reason must be kill, shutdown, normal or error");
  caf::actor target;
  const std::string session_prefix = "session:";
  if (name.compare(0, session_prefix.size(), session_prefix) == 0) {
    if (auto r = node_.state().routes->find(name.substr(session_prefix.size())))
      target = r->server;
  } else if (name == root_registry_name) {
    target = node_.root();
  } else {
    target = find_in_tree(sys_, node_.root(), name);
  }
  if (!target)
    return error_response(404, "no actor named " + name);
  // From nobody: the target's own supervisor must see it as any other death.
  target->enqueue(nullptr, caf::make_message_id(),
                  caf::make_message(caf::exit_msg{target.address(), *reason}), nullptr);
  return {200, json{{"killed", name}, {"reason", reason_name}, {"actor_id", target.id()}}.dump()};
}

} // namespace cafmcp::app
