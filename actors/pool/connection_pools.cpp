#include "cafmcp/actors/pool/connection_pools.hpp"

#include <caf/all.hpp>

#include "cafmcp/actors/pool/session_broker.hpp"

namespace cafmcp::pool {

namespace sup = cafmcp::supervision;

sup::supervisor_config pool_config(size_t index, server_factory make_server, int intensity,
                                   std::chrono::milliseconds period) {
  sup::child_spec server;
  server.id = "mcp_server";
  // A session's server is never restarted: its client re-initializes on a new one.
  server.restart = sup::restart_type::temporary;
  server.shutdown = sup::shutdown_spec::after(std::chrono::milliseconds{1000});
  server.start = [make_server](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    if (!ctx.args.match_elements<caf::actor, std::string, mcp::transport_kind>())
      return caf::make_error(caf::sec::invalid_argument,
                             "a session server starts with (sink, session id, transport kind)");
    auto made =
        make_server(ctx.self, ctx.args.get_as<caf::actor>(0), ctx.args.get_as<std::string>(1),
                    ctx.args.get_as<mcp::transport_kind>(2));
    if (!made)
      return made.error();
    return sup::start_result{*made};
  };
  sup::supervisor_config cfg;
  cfg.name = "pool_" + std::to_string(index);
  cfg.flags.strategy = sup::strategy::simple_one_for_one;
  cfg.flags.intensity = intensity;
  cfg.flags.period = period;
  cfg.children = {std::move(server)};
  return cfg;
}

sup::supervisor_config connection_pool_config(pool_settings settings, broker_wiring wiring) {
  sup::supervisor_config cfg;
  cfg.name = settings.name;
  cfg.flags = settings.flags;
  cfg.children.push_back(session_broker_spec(settings, wiring));
  for (size_t i = 0; i < settings.num_pools; ++i)
    cfg.children.push_back(sup::supervisor_child(
        "pool_" + std::to_string(i),
        pool_config(i, wiring.make_server, settings.pool_intensity, settings.pool_period)));
  return cfg;
}

} // namespace cafmcp::pool
