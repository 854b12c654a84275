#include "cafmcp/app/config/command_line.hpp"
#include "cafmcp/app/config/config_validation.hpp"
#include "cafmcp/app/config/config_writer.hpp"
#include "cafmcp/app/config/node_config.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace cafmcp::app;
using namespace std::chrono_literals;

TEST_CASE("defaults match the design") {
  const node_config cfg;
  const auto& s = cfg.supervision;
  CHECK(cfg.profile == node_profile::standard);
  CHECK(s.num_pools == 10);
  CHECK(s.servers_per_pool == 1500);
  // DESIGN.md §2: the strategy of each level.
  CHECK(s.root.strategy == restart_strategy::one_for_one);
  CHECK(s.core.strategy == restart_strategy::one_for_all);
  CHECK(s.monitoring.strategy == restart_strategy::rest_for_one);
  CHECK(s.config.strategy == restart_strategy::one_for_one);
  CHECK(s.connection_pool.strategy == restart_strategy::one_for_one);
  CHECK(s.pool.strategy == restart_strategy::simple_one_for_one);
  CHECK(s.transport.strategy == restart_strategy::one_for_one);
  // erlmcp's pool restart budget: 5 restarts in 60 s.
  CHECK(s.connection_pool.intensity == 5);
  CHECK(s.connection_pool.period == 60s);
  // The recovery SLAs of DESIGN.md §4.
  CHECK(cfg.recovery.server_restart_timeout == 100ms);
  CHECK(cfg.recovery.pool_restart_timeout == 500ms);
  CHECK(cfg.recovery.service_restart_timeout == 1000ms);
  CHECK(cfg.failure.pool_max_consecutive_crashes == 3);
  CHECK(cfg.failure.service_max_consecutive_crashes == 3);
  CHECK(cfg.failure.registry_recovery_attempts == 3);
  CHECK(cfg.registry.shards == 16);
  // Only Streamable HTTP listens by default, on loopback.
  const auto& t = cfg.transports;
  CHECK_FALSE(t.stdio);
  CHECK(t.http.enabled);
  CHECK(t.http.host == "127.0.0.1");
  CHECK(t.http.port == 8080);
  CHECK(t.http.path == "/mcp");
  CHECK(t.http.allowed_origins.empty());
  CHECK_FALSE(t.sse.enabled);
  CHECK_FALSE(t.ws.enabled);
  CHECK(t.ws.path == "/ws");
  CHECK_FALSE(t.tcp.enabled);
  CHECK(t.sse.host == "127.0.0.1");
  CHECK(t.ws.host == "127.0.0.1");
  CHECK(t.tcp.host == "127.0.0.1");
  CHECK_FALSE(t.tls.enabled());
  CHECK(cfg.admin.enabled);
  CHECK(cfg.admin.host == "127.0.0.1");
  CHECK(cfg.admin.port == 9090);
  CHECK(cfg.admin.token.empty());
  CHECK(cfg.limits.max_message_bytes == 4u * 1024 * 1024);
  CHECK(cfg.logging.level == log_level::info);
}

TEST_CASE("the default config is valid") {
  CHECK(validate_config(node_config{}).empty());
}

TEST_CASE("no arguments start the node on the default config") {
  auto result = parse_command_line(std::vector<std::string>{});
  REQUIRE(result.outcome == command_line_outcome::run);
  CHECK(to_json(result.config) == to_json(node_config{}));
  CHECK_FALSE(result.print_tree);
  CHECK(result.config_file.empty());
}

TEST_CASE("every config key is documented in the README") {
  std::ifstream in{CAFMCP_CONFIG_DOC};
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  const auto doc = text.str();
  for (const auto& key : config_keys()) {
    INFO("key: " << key);
    CHECK(doc.find("`" + key + "`") != std::string::npos);
  }
}
