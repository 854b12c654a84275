#pragma once
// What the Streamable HTTP tests share: the headers of a POST and of a
// request inside a session, and opening an initialized session.

#include <string>
#include <utility>
#include <vector>

#include "fixture.hpp"

namespace cafmcp::test {

using header_vec = std::vector<std::pair<std::string, std::string>>;

inline const header_vec post_headers = {{"Content-Type", "application/json"},
                                        {"Accept", "application/json, text/event-stream"}};

// `h` plus the session's id and the protocol version.
inline header_vec with_session(const std::string& sid, header_vec h = post_headers) {
  h.emplace_back("Mcp-Session-Id", sid);
  h.emplace_back("MCP-Protocol-Version", "2025-11-25");
  return h;
}

// initialize and notifications/initialized on `c`; returns the session id.
inline std::string open_session(http_client& c) {
  auto res = c.post_mcp(initialize());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto sid = res->header("mcp-session-id");
  REQUIRE(!sid.empty());
  REQUIRE(c.post_mcp(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", sid)->status ==
          202);
  return sid;
}

// GET /mcp in session `sid` on `g`: the head of the session's SSE stream.
inline http_response open_get_stream(http_client& g, const std::string& sid) {
  REQUIRE(g.send("GET", "/mcp", with_session(sid, {{"Accept", "text/event-stream"}})));
  auto head = g.read_head();
  REQUIRE(head);
  REQUIRE(head->status == 200);
  return *head;
}

} // namespace cafmcp::test
