#include "cafmcp/app/config/config_loader.hpp"
#include "cafmcp/app/config/config_reader.hpp"

#include "config/config_test_support.hpp"

#include <doctest/doctest.h>

using namespace cafmcp::app;
using cafmcp::app::test::has_error;
using cafmcp::app::test::temp_file;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::vector<config_error> errors_of(const json& doc) {
  auto result = config_from_json(doc);
  CHECK_FALSE(result.ok());
  return result.errors();
}

} // namespace

TEST_CASE("a config file overrides defaults and leaves other keys at their defaults") {
  temp_file file{R"({
    "profile": "conformance",
    "supervision": {"num_pools": 4, "pool_restart_intensity": 7,
                    "monitoring": {"strategy": "one_for_one", "intensity": 2}},
    "recovery": {"pool_restart_timeout": 250},
    "transports": {"http": {"port": 9000, "allowed_origins": ["http://localhost:3000"]},
                   "ws": {"enabled": true}},
    "logging": {"level": "debug"}
  })"};
  auto result = load_config(file.path());
  INFO(to_string(result.errors()));
  REQUIRE(result.ok());
  const auto& cfg = result.value();
  CHECK(cfg.profile == node_profile::conformance);
  CHECK(cfg.supervision.num_pools == 4);
  CHECK(cfg.supervision.connection_pool.intensity == 7);
  CHECK(cfg.supervision.monitoring.strategy == restart_strategy::one_for_one);
  CHECK(cfg.supervision.monitoring.intensity == 2);
  CHECK(cfg.recovery.pool_restart_timeout == 250ms);
  CHECK(cfg.transports.http.port == 9000);
  CHECK(cfg.transports.http.allowed_origins == std::vector<std::string>{"http://localhost:3000"});
  CHECK(cfg.transports.ws.enabled);
  CHECK(cfg.logging.level == log_level::debug);
  // Untouched keys, even next to touched ones, keep their defaults.
  CHECK(cfg.supervision.servers_per_pool == 1500);
  CHECK(cfg.supervision.monitoring.period == 10s);
  CHECK(cfg.recovery.server_restart_timeout == 100ms);
  CHECK(cfg.transports.http.host == "127.0.0.1");
  CHECK(cfg.transports.ws.port == 8082);
  CHECK(cfg.admin.port == 9090);
}

TEST_CASE("an empty object is the default config") {
  auto result = config_from_json(json::object());
  REQUIRE(result.ok());
  CHECK(result.value().supervision.num_pools == 10);
}

TEST_CASE("an unknown key is an error naming its full dotted path") {
  auto errors = errors_of(json::parse(R"({"supervision": {"num_pool": 3}})"));
  CHECK(has_error(errors, "supervision.num_pool", "unknown key"));
  CHECK(has_error(errors, "supervision.num_pool", "did you mean supervision.num_pools?"));

  CHECK(has_error(errors_of(json::parse(R"({"transports": {"http": {"prot": 1}}})")),
                  "transports.http.prot", "unknown key"));
  CHECK(has_error(errors_of(json::parse(R"({"clustering": {}})")), "clustering", "unknown key"));
  CHECK(has_error(errors_of(json::parse(R"({"supervision": {"root": {"x": {"y": 1}}}})")),
                  "supervision.root.x", "unknown key"));
}

TEST_CASE("keys that look plausible but do not exist say where the setting lives") {
  CHECK(
      has_error(errors_of(json::parse(R"({"supervision": {"connection_pool": {"intensity": 3}}})")),
                "supervision.connection_pool.intensity", "supervision.pool_restart_intensity"));
  CHECK(
      has_error(errors_of(json::parse(R"({"supervision": {"pool": {"strategy": "one_for_one"}}})")),
                "supervision.pool.strategy", "always simple_one_for_one"));
}

TEST_CASE("a value of the wrong type names its key") {
  CHECK(has_error(errors_of(json::parse(R"({"supervision": {"num_pools": "10"}})")),
                  "supervision.num_pools", "must be an integer, got string '10'"));
  CHECK(has_error(errors_of(json::parse(R"({"supervision": {"num_pools": 2.5}})")),
                  "supervision.num_pools", "must be an integer"));
  CHECK(has_error(errors_of(json::parse(R"({"registry": {"shards": null}})")), "registry.shards",
                  "got null"));
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"stdio": 1}})")), "transports.stdio",
                  "must be true or false"));
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"http": {"host": 127}}})")),
                  "transports.http.host", "must be a string"));
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"http": {"allowed_hosts": "a"}}})")),
                  "transports.http.allowed_hosts", "must be an array of strings"));
  CHECK(
      has_error(errors_of(json::parse(R"({"transports": {"http": {"allowed_hosts": ["a", 1]}}})")),
                "transports.http.allowed_hosts[1]", "must be a string"));
  CHECK(has_error(errors_of(json::parse(R"({"profile": "fast"})")), "profile",
                  "must be one of default|conformance"));
  CHECK(has_error(errors_of(json::parse(R"({"logging": {"level": "loud"}})")), "logging.level",
                  "must be one of trace|debug|info|warning|error|off"));
}

TEST_CASE("a section that is not an object names the section") {
  CHECK(has_error(errors_of(json::parse(R"({"supervision": 5})")), "supervision",
                  "must be an object"));
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"http": true}})")), "transports.http",
                  "must be an object"));
}

TEST_CASE("a config that is not a JSON object is refused") {
  auto errors = errors_of(json::parse("[1, 2]"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("must be a JSON object") != std::string::npos);
}

TEST_CASE("an out-of-range value names its key and the bounds") {
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"http": {"port": 70000}}})")),
                  "transports.http.port", "between 0 and 65535, got 70000"));
  CHECK(has_error(errors_of(json::parse(R"({"supervision": {"num_pools": 0}})")),
                  "supervision.num_pools", "between 1 and"));
  CHECK(has_error(errors_of(json::parse(R"({"supervision": {"servers_per_pool": -5}})")),
                  "supervision.servers_per_pool", "got -5"));
  CHECK(has_error(errors_of(json::parse(R"({"recovery": {"server_restart_timeout": 0}})")),
                  "recovery.server_restart_timeout", "ms"));
  CHECK(has_error(errors_of(json::parse(R"({"registry": {"shards": 18446744073709551615}})")),
                  "registry.shards", "between 1 and 4096"));
  CHECK(has_error(errors_of(json::parse(R"({"limits": {"max_message_bytes": 10}})")),
                  "limits.max_message_bytes", "between 1024"));
}

TEST_CASE("port 0 is accepted, it picks a free port") {
  auto result = config_from_json(json::parse(R"({"transports": {"tcp": {"port": 0}}})"));
  REQUIRE(result.ok());
  CHECK(result.value().transports.tcp.port == 0);
}

TEST_CASE("a strategy other than one_for_one, one_for_all or rest_for_one is refused") {
  CHECK(has_error(
      errors_of(json::parse(R"({"supervision": {"root": {"strategy": "simple_one_for_one"}}})")),
      "supervision.root.strategy", "must be one of one_for_one|one_for_all|rest_for_one"));
  CHECK(has_error(errors_of(json::parse(R"({"supervision": {"core": {"strategy": "bogus"}}})")),
                  "supervision.core.strategy", "got string 'bogus'"));
  auto ok = config_from_json(
      json::parse(R"({"supervision": {"transport": {"strategy": "rest_for_one"}}})"));
  REQUIRE(ok.ok());
  CHECK(ok.value().supervision.transport.strategy == restart_strategy::rest_for_one);
}

TEST_CASE("a non-loopback admin host is refused") {
  for (const char* host : {"0.0.0.0", "10.0.0.1", "::", "localhost", "128.0.0.1"}) {
    INFO("host: " << host);
    json doc = {{"admin", {{"host", host}}}};
    CHECK(has_error(errors_of(doc), "admin.host", "must be a loopback address"));
  }
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1"}) {
    INFO("host: " << host);
    json doc = {{"admin", {{"host", host}}}};
    CHECK(config_from_json(doc).ok());
  }
}

TEST_CASE("transport hosts are IP addresses or host names") {
  for (const char* host : {"0.0.0.0", "::", "::1", "example.org", "localhost"}) {
    INFO("host: " << host);
    json doc = {{"transports", {{"sse", {{"host", host}}}}}};
    CHECK(config_from_json(doc).ok());
  }
  for (const char* host : {"", "[::1]", "999.1.1.1", "bad host", "-x.org"}) {
    INFO("host: " << host);
    json doc = {{"transports", {{"sse", {{"host", host}}}}}};
    CHECK(has_error(errors_of(doc), "transports.sse.host"));
  }
}

TEST_CASE("paths must start with a slash") {
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"http": {"path": "mcp"}}})")),
                  "transports.http.path", "must start with '/'"));
  CHECK(has_error(errors_of(json::parse(R"({"transports": {"ws": {"path": "/ws?x=1"}}})")),
                  "transports.ws.path"));
}

TEST_CASE("every error of a file is reported, not only the first") {
  auto errors = errors_of(json::parse(
      R"({"supervision": {"num_pools": 0, "typo": 1}, "admin": {"port": "x"}, "extra": true})"));
  CHECK(errors.size() == 4);
  CHECK(has_error(errors, "supervision.num_pools"));
  CHECK(has_error(errors, "supervision.typo"));
  CHECK(has_error(errors, "admin.port"));
  CHECK(has_error(errors, "extra"));
}

TEST_CASE("a missing config file names the file") {
  auto result = load_config("/nonexistent/cafmcp.json");
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 1);
  CHECK(result.errors()[0].key == "/nonexistent/cafmcp.json");
  CHECK(result.errors()[0].message.find("No such file") != std::string::npos);
}

TEST_CASE("a directory given as config file is refused") {
  auto result = load_config("/tmp");
  REQUIRE_FALSE(result.ok());
  CHECK(has_error(result.errors(), "/tmp", "directory"));
}

TEST_CASE("invalid JSON is reported with file, line and column") {
  temp_file file{"{\n  \"supervision\": {\n    \"num_pools\": 4,\n  }\n}\n"};
  auto result = load_config(file.path());
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 1);
  const auto& error = result.errors()[0];
  CHECK(error.key == file.path() + ":4:3");
  CHECK(error.message.find("invalid JSON") != std::string::npos);
  CHECK(error.message.find("json.exception") == std::string::npos);
}

TEST_CASE("an empty config file is invalid JSON") {
  temp_file file{""};
  auto result = load_config(file.path());
  REQUIRE_FALSE(result.ok());
  CHECK(result.errors()[0].key.rfind(file.path() + ":", 0) == 0);
}

TEST_CASE("a key written twice in one object is refused") {
  temp_file file{R"({"supervision": {"num_pools": 4, "num_pools": 5}})"};
  auto result = load_config(file.path());
  REQUIRE_FALSE(result.ok());
  CHECK(has_error(result.errors(), "supervision.num_pools", "twice"));
}

TEST_CASE("the same key in different objects is not a duplicate") {
  temp_file file{R"({"transports": {"http": {"port": 1}, "sse": {"port": 2}}})"};
  CHECK(load_config(file.path()).ok());
}

TEST_CASE("a config file with a cross-field problem names the key") {
  temp_file file{R"({"health": {"check_interval_ms": 100, "check_timeout_ms": 200}})"};
  auto result = load_config(file.path());
  REQUIRE_FALSE(result.ok());
  CHECK(has_error(result.errors(), "health.check_timeout_ms", "health.check_interval_ms"));
}
