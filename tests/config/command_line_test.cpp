#include "cafmcp/app/config/command_line.hpp"
#include "cafmcp/app/config/config_writer.hpp"

#include "config/config_test_support.hpp"

#include <doctest/doctest.h>

using namespace cafmcp::app;
using cafmcp::app::test::has_error;
using cafmcp::app::test::temp_file;

namespace {

command_line_result parse(std::vector<std::string> args) {
  return parse_command_line(args);
}

// Asserts a usage error that names `flag`, with `fragment` in its message.
void check_usage_error(std::vector<std::string> args, const std::string& flag,
                       const std::string& fragment = {}) {
  auto result = parse(args);
  INFO("errors: " << to_string(result.errors));
  CHECK(result.outcome == command_line_outcome::usage_error);
  CHECK(result.is_error());
  CHECK(has_error(result.errors, flag, fragment));
}

} // namespace

TEST_CASE("flags override the file, which overrides the defaults") {
  temp_file file{R"({"supervision": {"num_pools": 4, "servers_per_pool": 100},
                     "transports": {"http": {"port": 9000, "path": "/rpc"}},
                     "registry": {"shards": 8}})"};
  auto result = parse({"--config", file.path(), "--num-pools", "20", "--http", "0.0.0.0:0"});
  INFO(to_string(result.errors));
  REQUIRE(result.outcome == command_line_outcome::run);
  const auto& cfg = result.config;
  CHECK(result.config_file == file.path());
  CHECK(cfg.supervision.num_pools == 20);         // flag over file
  CHECK(cfg.transports.http.host == "0.0.0.0");   // flag over default
  CHECK(cfg.transports.http.port == 0);           // flag over file
  CHECK(cfg.supervision.servers_per_pool == 100); // file over default
  CHECK(cfg.transports.http.path == "/rpc");      // file, untouched by --http
  CHECK(cfg.registry.shards == 8);
  CHECK(cfg.admin.port == 9090); // default
}

TEST_CASE("each listener flag enables its transport at its address") {
  temp_file file{R"({"transports": {"sse": {"enabled": false}}})"};
  auto result = parse({"--config", file.path(), "--stdio", "--sse", "127.0.0.1:7001", "--ws",
                       "[::1]:7002", "--tcp", "localhost:7003", "--admin", "127.0.0.2:0"});
  INFO(to_string(result.errors));
  REQUIRE(result.outcome == command_line_outcome::run);
  const auto& t = result.config.transports;
  CHECK(t.stdio);
  CHECK(t.sse.enabled);
  CHECK(t.sse.port == 7001);
  CHECK(t.ws.enabled);
  CHECK(t.ws.host == "::1");
  CHECK(t.ws.port == 7002);
  CHECK(t.tcp.enabled);
  CHECK(t.tcp.host == "localhost");
  CHECK(result.config.admin.enabled);
  CHECK(result.config.admin.host == "127.0.0.2");
  CHECK(result.config.admin.port == 0);
}

TEST_CASE("flags accept the --flag=value form") {
  auto result = parse({"--http=[::1]:8080", "--servers-per-pool=10", "--profile=conformance"});
  INFO(to_string(result.errors));
  REQUIRE(result.outcome == command_line_outcome::run);
  CHECK(result.config.transports.http.host == "::1");
  CHECK(result.config.supervision.servers_per_pool == 10);
  CHECK(result.config.profile == node_profile::conformance);
}

TEST_CASE("--print-tree is an action, not configuration") {
  auto result = parse({"--print-tree"});
  REQUIRE(result.outcome == command_line_outcome::run);
  CHECK(result.print_tree);
  CHECK(to_json(result.config) == to_json(node_config{}));
}

TEST_CASE("--help returns the help text and is not an error") {
  for (auto args : {std::vector<std::string>{"--help"}, std::vector<std::string>{"-h"},
                    std::vector<std::string>{"--num-pools", "0", "--bogus", "--help"}}) {
    auto result = parse(args);
    CHECK(result.outcome == command_line_outcome::help);
    CHECK_FALSE(result.is_error());
    CHECK(result.errors.empty());
    for (const char* flag :
         {"--config", "--profile", "--stdio", "--http", "--sse", "--ws", "--tcp", "--admin",
          "--num-pools", "--servers-per-pool", "--print-tree", "--help", "HOST:PORT"}) {
      INFO("flag: " << flag);
      CHECK(result.help_text.find(flag) != std::string::npos);
    }
  }
}

TEST_CASE("an unknown flag is a usage error naming the flag") {
  check_usage_error({"--pools", "3"}, "--pools", "unknown flag");
  check_usage_error({"--verbose=1"}, "--verbose", "unknown flag");
  check_usage_error({"-x"}, "-x", "unknown flag");
}

TEST_CASE("a stray argument is a usage error naming it") {
  check_usage_error({"config.json"}, "config.json", "flags only");
}

TEST_CASE("a bad HOST:PORT is a usage error naming its flag") {
  check_usage_error({"--http", "8080"}, "--http", "missing ':PORT'");
  check_usage_error({"--sse", "127.0.0.1:99999"}, "--sse", "port must be a number");
  check_usage_error({"--ws", "::1:80"}, "--ws", "in brackets");
  check_usage_error({"--tcp", "[::1"}, "--tcp", "missing ']'");
  check_usage_error({"--http"}, "--http", "required");
}

TEST_CASE("a non-loopback --admin address is a usage error naming the flag") {
  check_usage_error({"--admin", "0.0.0.0:9090"}, "--admin", "loopback");
}

TEST_CASE("a bad number is a usage error naming its flag") {
  check_usage_error({"--num-pools", "0"}, "--num-pools", "between 1 and");
  check_usage_error({"--num-pools", "ten"}, "--num-pools", "whole number");
  check_usage_error({"--num-pools", "-3"}, "--num-pools");
  check_usage_error({"--servers-per-pool", "99999999999999999999999"}, "--servers-per-pool",
                    "between 1 and");
}

TEST_CASE("a bad --profile is a usage error naming the flag") {
  check_usage_error({"--profile", "fast"}, "--profile", "default|conformance");
}

TEST_CASE("a flag given twice is a usage error") {
  check_usage_error({"--http", "127.0.0.1:1", "--http", "127.0.0.1:2"}, "--http");
}

TEST_CASE("a missing config file is a config error naming the file") {
  auto result = parse({"--config", "/nonexistent/node.json"});
  CHECK(result.outcome == command_line_outcome::config_error);
  CHECK(result.is_error());
  CHECK(has_error(result.errors, "/nonexistent/node.json", "cannot open"));
}

TEST_CASE("a bad key in the config file is a config error naming the key") {
  temp_file file{R"({"supervision": {"num_pool": 3}})"};
  auto result = parse({"--config", file.path(), "--num-pools", "4"});
  CHECK(result.outcome == command_line_outcome::config_error);
  CHECK(has_error(result.errors, "supervision.num_pool", "unknown key"));
}

TEST_CASE("a flag can settle a cross-field rule the file alone breaks") {
  // The file disables every transport; --stdio enables one, so all is well.
  temp_file file{R"({"transports": {"http": {"enabled": false}}})"};
  CHECK(parse({"--config", file.path()}).outcome == command_line_outcome::config_error);
  CHECK(parse({"--config", file.path(), "--stdio"}).outcome == command_line_outcome::run);
}

TEST_CASE("argc/argv skips the program name") {
  const char* argv[] = {"cafmcp-node", "--num-pools", "2", nullptr};
  auto result = parse_command_line(3, argv);
  REQUIRE(result.outcome == command_line_outcome::run);
  CHECK(result.config.supervision.num_pools == 2);
}

TEST_CASE("--stdio alone opens no network listener, and with --http it still does") {
  auto alone = parse({"--stdio"});
  REQUIRE(alone.outcome == command_line_outcome::run);
  CHECK(alone.config.transports.stdio);
  CHECK_FALSE(alone.config.transports.http.enabled);
  CHECK_FALSE(alone.config.admin.enabled);
  auto both = parse({"--stdio", "--http", "127.0.0.1:0"});
  REQUIRE(both.outcome == command_line_outcome::run);
  CHECK(both.config.transports.http.enabled);
  CHECK(both.config.transports.http.port == 0);
}
