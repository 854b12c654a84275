#include "cafmcp/app/config/config_validation.hpp"

#include "config/config_test_support.hpp"

#include <doctest/doctest.h>

using namespace cafmcp::app;
using cafmcp::app::test::has_error;
using namespace std::chrono_literals;

TEST_CASE("a config built in code is checked like a file") {
  node_config cfg;
  cfg.supervision.num_pools = 0;
  cfg.transports.http.path = "mcp";
  cfg.admin.host = "192.168.1.1";
  cfg.recovery.pool_restart_timeout = 0ms;
  auto errors = validate_config(cfg);
  CHECK(has_error(errors, "supervision.num_pools", "between 1 and"));
  CHECK(has_error(errors, "transports.http.path", "must start with '/'"));
  CHECK(has_error(errors, "admin.host", "loopback"));
  CHECK(has_error(errors, "recovery.pool_restart_timeout", "ms"));
  CHECK(errors.size() == 4);
}

TEST_CASE("the pool supervisors stay simple_one_for_one and others cannot be") {
  node_config cfg;
  cfg.supervision.pool.strategy = restart_strategy::one_for_one;
  cfg.supervision.root.strategy = restart_strategy::simple_one_for_one;
  auto errors = validate_config(cfg);
  CHECK(has_error(errors, "supervision.pool", "simple_one_for_one"));
  CHECK(has_error(errors, "supervision.root.strategy", "simple_one_for_one"));
}

TEST_CASE("a health check timeout longer than the interval is refused") {
  node_config cfg;
  cfg.health.check_interval = 100ms;
  cfg.health.check_timeout = 101ms;
  CHECK(has_error(validate_config(cfg), "health.check_timeout_ms"));
  cfg.health.check_timeout = 100ms;
  CHECK(validate_config(cfg).empty());
}

TEST_CASE("TLS needs both the certificate and the key") {
  node_config cfg;
  cfg.transports.tls.cert_file = "cert.pem";
  CHECK(has_error(validate_config(cfg), "transports.tls.key_file", "together"));
  cfg.transports.tls = {};
  cfg.transports.tls.key_file = "key.pem";
  CHECK(has_error(validate_config(cfg), "transports.tls.cert_file", "together"));
  cfg.transports.tls.cert_file = "cert.pem";
  CHECK(validate_config(cfg).empty());
}

TEST_CASE("the outbound queue must hold at least one maximal message") {
  node_config cfg;
  cfg.limits.max_message_bytes = 1 << 20;
  cfg.limits.outbound_queue_max_bytes = (1 << 20) - 1;
  CHECK(has_error(validate_config(cfg), "limits.outbound_queue_max_bytes",
                  "limits.max_message_bytes"));
}

TEST_CASE("a config without any transport is refused") {
  node_config cfg;
  cfg.transports.http.enabled = false;
  CHECK(has_error(validate_config(cfg), "transports", "no transport"));
  cfg.transports.stdio = true;
  CHECK(validate_config(cfg).empty());
}

TEST_CASE("an admin token must be visible ASCII") {
  node_config cfg;
  cfg.admin.token = "has space";
  CHECK(has_error(validate_config(cfg), "admin.token"));
  cfg.admin.token = "abc-DEF_123.~";
  CHECK(validate_config(cfg).empty());
}

TEST_CASE("an empty allowed origin is refused with its index") {
  node_config cfg;
  cfg.transports.http.allowed_origins = {"http://localhost", ""};
  CHECK(has_error(validate_config(cfg), "transports.http.allowed_origins[1]"));
}
