#include "cafmcp/app/node/conformance_profile.hpp"

#include <thread>

#include "cafmcp/actors/mcp/conformance_fixtures.hpp"
#include "cafmcp/actors/mcp/content.hpp"

namespace cafmcp::app {

namespace {

// Long enough that the POST stream is polled (closed) first, short enough
// for the suite's 10 s stream read.
constexpr auto reconnection_delay = conformance_poll_after * 4;

mcp::tool_definition test_reconnection() {
  mcp::tool_definition def;
  def.name = "test_reconnection";
  def.description = "Tests SSE stream disconnection and client reconnection (SEP-1699): the "
                    "server closes the POST stream mid-call and answers on the resumed stream";
  def.input_schema = {{"type", "object"}, {"properties", nlohmann::json::object()}};
  def.handler = [](const nlohmann::json&, mcp::call_context&) {
    std::this_thread::sleep_for(reconnection_delay);
    return mcp::text_result("Reconnection test completed successfully");
  };
  return def;
}

} // namespace

caf::expected<std::shared_ptr<mcp::server_config>> conformance_server() {
  auto server = std::make_shared<mcp::server_config>();
  server->info.name = "cafmcp-conformance";
  if (auto ok = mcp::conformance::register_fixtures(*server->features); !ok)
    return ok.error();
  if (auto ok = server->features->add_tool(test_reconnection()); !ok)
    return ok.error();
  return server;
}

} // namespace cafmcp::app
