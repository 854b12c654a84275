// Pieces of the client that need no server: SSE parsing and error values.

#include <doctest/doctest.h>

#include "cafmcp/client/client_error.hpp"
#include "cafmcp/client/sse_parser.hpp"

namespace cl = cafmcp::client;

TEST_CASE("client: sse_parser joins pieces, data lines and CRLF") {
  cl::detail::sse_parser p;
  auto a = p.feed("retry: 500\nid: 7\n\nid: 8\nevent: mess");
  REQUIRE(a.size() == 1); // the priming event: id, no data
  CHECK(a[0].id == "7");
  CHECK(a[0].data.empty());
  CHECK(a[0].retry == 500);
  auto b = p.feed("age\r\ndata: {\"a\":\r\ndata: 1}\r\n: keep-alive\r\n\r\n");
  REQUIRE(b.size() == 1);
  CHECK(b[0].id == "8");
  CHECK(b[0].event == "message");
  CHECK(b[0].data == "{\"a\":\n1}");
  CHECK(p.feed("\n\n").empty()); // blank lines alone are no events
}

TEST_CASE("client: sse_parser refuses an endless event") {
  cl::detail::sse_parser p{64};
  p.feed("data: " + std::string(100, 'x'));
  CHECK(p.overflow());
}

TEST_CASE("client: failure_of gives back the parts of a client error") {
  auto e = cl::make_client_error(cl::client_errc::rpc_error, "Invalid params", -32602,
                                 "{\"reason\":\"x\"}", 0);
  auto f = cl::failure_of(e);
  CHECK(f.kind == cl::client_errc::rpc_error);
  CHECK(f.rpc_code == -32602);
  CHECK(f.message == "Invalid params");
  CHECK(f.data.at("reason") == "x");
  CHECK(cl::is(e, cl::client_errc::rpc_error));
  CHECK(cl::failure_of(caf::make_error(caf::sec::request_timeout)).kind ==
        cl::client_errc::timeout);
}
