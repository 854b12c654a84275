#include "cafmcp/chaos/pool_probe.hpp"

#include <thread>

#include "cafmcp/client/client.hpp"

namespace cafmcp::chaos {

pool_probe_times
probe_pool(caf::actor_system& sys, transports::io_runner& io, const endpoint& ep, std::size_t pool,
           const std::function<std::optional<std::size_t>(const std::string&)>& pool_of,
           const std::string& tool, steady::time_point deadline) {
  pool_probe_times out;
  auto cfg = client_config_for(ep, "cafmcp-chaos-probe");
  cfg.connect_timeout = std::chrono::milliseconds{2000};
  cfg.request_timeout = std::chrono::milliseconds{2000};
  while (steady::now() < deadline) {
    client::blocking_client c{sys, io, cfg};
    if (!c.connect()) {
      // Not accepting sessions yet (or not at all): try again shortly.
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
      continue;
    }
    auto initialized = steady::now();
    auto r = c.call("tools/call", {{"name", tool}, {"arguments", {{"text", "probe"}}}});
    auto answered = steady::now();
    c.close();
    if (!r.ok())
      continue;
    auto sc = r.result.find("structuredContent");
    if (sc == r.result.end() || !sc->is_object())
      return out; // the tool does not tell its session: the pool cannot be probed
    if (pool_of(sc->value("session", std::string{})) == pool) {
      out.registered = initialized;
      out.serving = answered;
      return out;
    }
  }
  return out;
}

} // namespace cafmcp::chaos
