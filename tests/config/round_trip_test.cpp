#include "cafmcp/app/config/config_loader.hpp"
#include "cafmcp/app/config/config_reader.hpp"
#include "cafmcp/app/config/config_writer.hpp"

#include "config/config_test_support.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace cafmcp::app;
using cafmcp::app::test::temp_file;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A config in which every section differs from the defaults.
node_config changed_config() {
  node_config cfg;
  cfg.profile = node_profile::conformance;
  cfg.supervision.num_pools = 3;
  cfg.supervision.servers_per_pool = 7;
  cfg.supervision.root.strategy = restart_strategy::rest_for_one;
  cfg.supervision.core.intensity = 0;
  cfg.supervision.connection_pool.intensity = 9;
  cfg.supervision.connection_pool.period = 1234ms;
  cfg.supervision.connection_pool.strategy = restart_strategy::one_for_all;
  cfg.supervision.pool.period = 77ms;
  cfg.recovery.pool_restart_timeout = 42ms;
  cfg.failure.pool_crash_window = 5s;
  cfg.registry.shards = 64;
  cfg.health.check_interval = 2s;
  cfg.transports.stdio = true;
  cfg.transports.http.host = "::";
  cfg.transports.http.port = 0;
  cfg.transports.http.allowed_origins = {"https://a.example", "http://localhost:6274"};
  cfg.transports.http.allowed_hosts = {"a.example"};
  cfg.transports.ws.enabled = true;
  cfg.transports.ws.path = "/socket";
  cfg.transports.tls.cert_file = "/etc/cafmcp/cert.pem";
  cfg.transports.tls.key_file = "/etc/cafmcp/key.pem";
  cfg.admin.host = "::1";
  cfg.admin.token = "s3cret-token";
  cfg.limits.max_message_bytes = 65536;
  cfg.limits.outbound_queue_max_bytes = std::uint64_t{1} << 33;
  cfg.sessions.ttl = 60s;
  cfg.tasks.max_per_session = 5;
  cfg.sse.retry = 0ms;
  cfg.logging.level = log_level::off;
  return cfg;
}

void collect_leaves(const json& j, const std::string& prefix, std::set<std::string>& out) {
  if (!j.is_object()) {
    out.insert(prefix);
    return;
  }
  for (const auto& [name, value] : j.items())
    collect_leaves(value, prefix.empty() ? name : prefix + "." + name, out);
}

} // namespace

TEST_CASE("the default config round-trips through JSON") {
  auto back = config_from_json(to_json(node_config{}));
  REQUIRE(back.ok());
  CHECK(to_json(back.value()) == to_json(node_config{}));
}

TEST_CASE("a changed config round-trips through JSON") {
  const auto cfg = changed_config();
  REQUIRE(to_json(cfg) != to_json(node_config{}));
  // Read over the defaults, and over a different base: the JSON sets everything.
  auto back = config_from_json(to_json(cfg));
  INFO(to_string(back.errors()));
  REQUIRE(back.ok());
  CHECK(to_json(back.value()) == to_json(cfg));
  auto over_other = config_from_json(to_json(cfg), changed_config());
  REQUIRE(over_other.ok());
  CHECK(to_json(over_other.value()) == to_json(cfg));
}

TEST_CASE("rendered config text loads back as a config file") {
  const auto cfg = changed_config();
  temp_file file{render_config(cfg)};
  auto back = load_config(file.path());
  INFO(to_string(back.errors()));
  REQUIRE(back.ok());
  CHECK(to_json(back.value()) == to_json(cfg));
}

TEST_CASE("rendered config text keeps the documented order") {
  auto text = render_config(node_config{});
  CHECK(text.find("\"profile\"") < text.find("\"supervision\""));
  CHECK(text.find("\"supervision\"") < text.find("\"transports\""));
  CHECK(text.find("\"num_pools\"") < text.find("\"root\""));
}

TEST_CASE("the rendered JSON holds exactly the schema's keys") {
  std::set<std::string> rendered;
  collect_leaves(to_json(node_config{}), "", rendered);
  auto keys = config_keys();
  std::set<std::string> schema(keys.begin(), keys.end());
  CHECK(schema.size() == keys.size()); // no key listed twice
  CHECK(rendered == schema);
}

TEST_CASE("durations are written in milliseconds") {
  auto j = to_json(node_config{});
  CHECK(j["supervision"]["pool_restart_period"] == 60000);
  CHECK(j["recovery"]["server_restart_timeout"] == 100);
  CHECK(j["supervision"]["root"]["strategy"] == "one_for_one");
  CHECK(j["profile"] == "default");
}
