#include "cafmcp/chaos/scenario.hpp"

#include <algorithm>
#include <numeric>

namespace cafmcp::chaos {

namespace {

using std::chrono::milliseconds;

victim pool_victim(std::size_t i) {
  return {"pool_" + std::to_string(i), domain_kind::pool};
}

// `count` distinct pools, drawn with the seeded generator.
std::vector<victim> distinct_pools(plan_context& ctx, std::size_t count) {
  std::vector<std::size_t> all(ctx.num_pools);
  std::iota(all.begin(), all.end(), 0);
  std::shuffle(all.begin(), all.end(), *ctx.rng);
  all.resize(std::min(count, all.size()));
  std::vector<victim> out;
  for (auto i : all)
    out.push_back(pool_victim(i));
  return out;
}

// One injection per victim, `gap` apart: each recovers before the next.
std::vector<injection> one_after_another(std::vector<victim> victims, milliseconds gap) {
  std::vector<injection> out;
  for (std::size_t i = 0; i < victims.size(); ++i)
    out.push_back({gap * static_cast<int64_t>(i), {victims[i]}});
  return out;
}

std::vector<victim> services_of(const std::vector<std::string>& names, domain_kind kind) {
  std::vector<victim> out;
  for (auto& n : names)
    out.push_back({n, kind});
  return out;
}

// Random kills across every domain but the node, as a Poisson process of the
// configured rate; which domain is drawn with weights that favour the common
// failures (servers, pools) over the rare ones.
std::vector<injection> extended(plan_context& ctx) {
  std::exponential_distribution<double> gap(std::max(ctx.kills_per_second, 0.001));
  std::discrete_distribution<int> which({40, 25, 15, 10, 10});
  std::vector<injection> out;
  double t = gap(*ctx.rng);
  while (milliseconds{static_cast<int64_t>(t * 1000)} < ctx.duration) {
    victim v;
    switch (which(*ctx.rng)) {
    case 0:
      v = {"session", domain_kind::server};
      break;
    case 1:
      v = distinct_pools(ctx, 1).front();
      break;
    case 2: {
      auto& all = config_services();
      v = {all[(*ctx.rng)() % all.size()], domain_kind::config_service};
      break;
    }
    case 3: {
      auto& all = monitoring_services();
      v = {all[(*ctx.rng)() % all.size()], domain_kind::monitoring};
      break;
    }
    default:
      v = {"registry", domain_kind::registry};
    }
    out.push_back({milliseconds{static_cast<int64_t>(t * 1000)}, {v}});
    t += gap(*ctx.rng);
  }
  return out;
}

std::vector<scenario> make_catalogue() {
  std::vector<scenario> c;
  c.push_back(
      {"single_server_crash", "1: one session's server actor is killed", [](plan_context&) {
         return std::vector<injection>{{milliseconds{0}, {{"session", domain_kind::server}}}};
       }});
  c.push_back({"single_pool_crash", "2: one pool supervisor is killed with all its sessions",
               [](plan_context& ctx) {
                 return std::vector<injection>{{milliseconds{0}, distinct_pools(ctx, 1)}};
               }});
  c.push_back(
      {"monitoring_service_crash",
       "3: metrics, dashboard and simple_monitor are killed, one after another", [](plan_context&) {
         return one_after_another(services_of(monitoring_services(), domain_kind::monitoring),
                                  milliseconds{2500});
       }});
  c.push_back({"config_service_crash", "4: each of the five config services, one after another",
               [](plan_context&) {
                 return one_after_another(
                     services_of(config_services(), domain_kind::config_service),
                     milliseconds{1500});
               }});
  c.push_back(
      {"registry_crash", "5: the registry is killed (core_sup restarts all of core)",
       [](plan_context&) {
         return std::vector<injection>{{milliseconds{0}, {{"registry", domain_kind::registry}}}};
       }});
  c.push_back(
      {"two_pools_crash", "6: two pools are killed at the same instant", [](plan_context& ctx) {
         return std::vector<injection>{{milliseconds{0}, distinct_pools(ctx, 2)}};
       }});
  c.push_back({"node_failure",
               "7: kill -9 of the node process and a restart; clients re-initialize",
               [](plan_context&) {
                 return std::vector<injection>{{milliseconds{0}, {{"node", domain_kind::node}}}};
               }});
  c.push_back({"chaos_kill_multiple_pools", "a third of the pools are killed at the same instant",
               [](plan_context& ctx) {
                 auto n = std::max<std::size_t>(ctx.num_pools / 3, 1);
                 return std::vector<injection>{{milliseconds{0}, distinct_pools(ctx, n)}};
               }});
  c.push_back({"chaos_concurrent_service_failures",
               "every config service and metrics are killed at the same instant",
               [](plan_context&) {
                 auto v = services_of(config_services(), domain_kind::config_service);
                 v.push_back({"metrics", domain_kind::monitoring});
                 return std::vector<injection>{{milliseconds{0}, v}};
               }});
  c.push_back(
      {"chaos_sequential_pool_failures", "every pool in turn, 700 ms apart", [](plan_context& ctx) {
         std::vector<victim> v;
         for (std::size_t i = 0; i < ctx.num_pools; ++i)
           v.push_back(pool_victim(i));
         return one_after_another(std::move(v), milliseconds{700});
       }});
  c.push_back({"chaos_extended_failure_injection",
               "random kills across all domains at --rate per second for --duration seconds",
               extended});
  return c;
}

} // namespace

const std::vector<scenario>& catalogue() {
  static const auto all = make_catalogue();
  return all;
}

const scenario* find_scenario(const std::string& name) {
  for (auto& s : catalogue())
    if (s.name == name)
      return &s;
  return nullptr;
}

const std::vector<std::string>& config_services() {
  static const std::vector<std::string> all{
      "session_manager", "task_manager", "resource_subscriptions", "sse_event_store", "icon_cache"};
  return all;
}

const std::vector<std::string>& monitoring_services() {
  static const std::vector<std::string> all{"metrics", "dashboard", "simple_monitor"};
  return all;
}

} // namespace cafmcp::chaos
