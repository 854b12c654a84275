#include <caf/sec.hpp>

#include "cafmcp/app/chaos/remote_target.hpp"

#include <nlohmann/json.hpp>

#include "cafmcp/registry/pool_selector.hpp"

namespace cafmcp::app {

namespace {

using chaos::domain_kind;
using chaos::steady;
using json = nlohmann::json;
namespace sup = cafmcp::supervision;

std::optional<sup::report_kind> kind_from(const std::string& name) {
  for (auto k : {sup::report_kind::child_started, sup::report_kind::child_terminated,
                 sup::report_kind::restarting, sup::report_kind::start_error,
                 sup::report_kind::shutdown_error, sup::report_kind::max_intensity_reached,
                 sup::report_kind::supervisor_terminated})
    if (sup::to_string(k) == name)
      return k;
  return std::nullopt;
}

// The pools under connection_pool_sup in GET /tree.
std::size_t count_pools(const json& node) {
  if (node.value("name", "") == "connection_pool_sup") {
    std::size_t n = 0;
    for (auto& c : node.value("children", json::array()))
      n += chaos::pool_index_of(c.value("name", "")) ? 1 : 0;
    return n;
  }
  for (auto& c : node.value("children", json::array()))
    if (auto n = count_pools(c))
      return n;
  return 0;
}

} // namespace

remote_target::remote_target(admin_client admin, std::shared_ptr<node_process> process)
    : admin_(std::move(admin)), process_(std::move(process)) {}

remote_target::~remote_target() {
  stop_ = true;
  if (follower_.joinable())
    follower_.join();
}

caf::error remote_target::start() {
  auto listeners = admin_.get("/listeners");
  if (!listeners)
    return listeners.error();
  if (listeners->status != 200)
    return caf::make_error(caf::sec::runtime_error, "GET /listeners: " + listeners->body);
  auto lines = json::parse(listeners->body, nullptr, false);
  if (!lines.is_array())
    return caf::make_error(caf::sec::runtime_error, "GET /listeners: not a JSON array");
  for (auto& l : lines)
    if (l.is_string())
      if (auto ep = chaos::endpoint_from_listener(l.get<std::string>()))
        endpoints_.push_back(*ep);
  auto tree = admin_.get("/tree");
  if (!tree)
    return tree.error();
  num_pools_ = count_pools(json::parse(tree->body, nullptr, false));
  if (num_pools_ == 0)
    return caf::make_error(caf::sec::runtime_error, "GET /tree shows no pools");
  follower_ = std::thread{[this] { follow_events(); }};
  return caf::none;
}

void remote_target::follow_events() {
  auto since = steady::now().time_since_epoch().count();
  while (!stop_) {
    // Polling every few ms costs the node little; the node's timestamps keep
    // the measurements exact.
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
    auto reply = admin_.get("/events?since=" + std::to_string(since));
    if (!reply || reply->status != 200)
      continue; // the node may be restarting
    auto list = json::parse(reply->body, nullptr, false);
    if (!list.is_array())
      continue;
    for (auto& e : list) {
      auto kind = kind_from(e.value("kind", ""));
      auto ns = e.value("steady_ns", std::int64_t{0});
      since = std::max(since, ns);
      if (kind)
        events_->add({*kind, e.value("supervisor", ""), e.value("child", ""),
                      steady::time_point{std::chrono::nanoseconds{ns}}});
    }
  }
}

std::string remote_target::describe() const {
  std::string out = process_ ? "node process:" : "remote node:";
  for (auto& ep : endpoints_)
    out +=
        " " + client::to_string(ep.transport) + " " + ep.host + ":" + std::to_string(ep.port) + ";";
  return out;
}

std::optional<std::size_t> remote_target::pool_of(const std::string& session_id) const {
  return registry::pool_selector::home_pool(session_id, num_pools_);
}

caf::error remote_target::kill(const chaos::victim& v) {
  if (v.domain == domain_kind::node) {
    if (!process_)
      return caf::make_error(caf::sec::feature_disabled,
                             "killing the node needs a node the runner started itself");
    return process_->kill_and_restart();
  }
  auto reply = admin_.post("/kill?name=" + v.name + "&reason=kill");
  if (!reply)
    return reply.error();
  if (reply->status != 200)
    return caf::make_error(caf::sec::runtime_error, "kill " + v.name + ": " + reply->body);
  return caf::none;
}

std::optional<steady::time_point> remote_target::await_running(const chaos::victim& v,
                                                               steady::time_point since,
                                                               steady::time_point deadline) {
  if (v.domain == domain_kind::node)
    return process_ ? process_->await_ready(since, deadline) : std::nullopt;
  auto where = chaos::restarted_by(v);
  if (!where)
    return std::nullopt;
  return events_->await_started(where->first, where->second, since, deadline);
}

std::optional<steady::time_point> remote_target::await_registered(const chaos::victim& v,
                                                                  steady::time_point since,
                                                                  steady::time_point deadline) {
  switch (v.domain) {
  case domain_kind::config_service:
  case domain_kind::monitoring:
  case domain_kind::registry:
    // A service publishes itself as it starts; from outside both look the same.
    return await_running(v, since, deadline);
  default:
    return std::nullopt; // pools, servers, the node: from the load's sessions
  }
}

std::optional<steady::time_point>
remote_target::await_serving(const chaos::victim&, steady::time_point, steady::time_point) {
  return std::nullopt; // from the load's sessions, or not visible from outside
}

} // namespace cafmcp::app
