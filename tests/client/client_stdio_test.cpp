// The stdio transport: the client spawns the real cafmcp-node --stdio and
// speaks JSON-RPC lines on its stdin/stdout.

#include "support.hpp"

using namespace client_test;

namespace {

cl::client_config stdio_config(std::vector<std::string> command) {
  cl::client_config c;
  c.transport = cl::client_transport::stdio;
  c.command = std::move(command);
  c.request_timeout = deadline;
  c.connect_timeout = deadline;
  return c;
}

struct system_fixture {
  cafmcp::transports::io_runner io{1};
  caf::actor_system_config cfg;
  caf::actor_system sys{client_test_config(cfg)};
  system_fixture() { io.start(); }
};

} // namespace

TEST_CASE_FIXTURE(system_fixture, "client: a session with cafmcp-node over stdio") {
  auto log = std::make_shared<notification_log>();
  auto cfg = stdio_config({CAFMCP_NODE_BINARY, "--stdio"});
  cfg.handlers.disconnected = [log](const cl::client_failure& f) {
    log->push("disconnected", cl::to_string(f.kind));
  };
  cl::blocking_client c{sys, io, cfg};
  auto info = c.connect();
  REQUIRE_MESSAGE(info, sys.render(info.error()));
  CHECK(info->protocol_version == "2025-11-25");
  CHECK(info->server_info.contains("name"));
  auto tools = c.call("tools/list");
  REQUIRE_MESSAGE(tools.ok(), cl::to_string(*tools.failure));
  CHECK(tools.result.at("tools").is_array());
  CHECK(c.call("ping").ok());
  auto unknown = c.call("tools/call", {{"name", "no_such_tool"}});
  REQUIRE(!unknown.ok());
  CHECK(unknown.failure->kind == cl::client_errc::rpc_error);
  c.close();
  CHECK(log->of("disconnected").empty()); // a clean close is not a disconnection
}

TEST_CASE_FIXTURE(system_fixture, "client: stdio with a missing program is connection_refused") {
  cl::blocking_client c{sys, io, stdio_config({"/nonexistent/cafmcp-no-such-binary"})};
  auto info = c.connect();
  REQUIRE(!info);
  CHECK(cl::failure_of(info.error()).kind == cl::client_errc::connection_refused);
}

TEST_CASE_FIXTURE(system_fixture, "client: a stdio server that exits is connection_lost") {
  // `true` reads nothing and exits at once: initialize finds no server.
  cl::blocking_client c{sys, io, stdio_config({"true"})};
  auto info = c.connect();
  REQUIRE(!info);
  auto kind = cl::failure_of(info.error()).kind;
  CHECK(kind == cl::client_errc::connection_lost);
}
