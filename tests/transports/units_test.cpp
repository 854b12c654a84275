// The pure parts: thread split, message peeking, origin policy, wire format,
// the event store.

#include <doctest/doctest.h>

#include "cafmcp/transports/http_wire.hpp"
#include "cafmcp/transports/io_runner.hpp"
#include "cafmcp/transports/message_peek.hpp"
#include "cafmcp/transports/origin_policy.hpp"
#include "cafmcp/transports/sse_event_store.hpp"

#include "cafmcp/protocol/jsonrpc_codec.hpp"

namespace tr = cafmcp::transports;

TEST_CASE("split_threads gives CAF every core and Asio one thread on two cores") {
  auto two = tr::split_threads(2);
  CHECK(two.caf_threads == 2);
  CHECK(two.io_threads == 1);
  auto eight = tr::split_threads(8);
  CHECK(eight.caf_threads == 8);
  CHECK(eight.io_threads == 2);
  CHECK(tr::split_threads(1).io_threads == 1);
}

TEST_CASE("io_runner starts and stops idempotently") {
  tr::io_runner io{1};
  io.start();
  io.start();
  CHECK(io.running());
  io.stop();
  io.stop();
  CHECK(!io.running());
}

TEST_CASE("message_peek tells requests from notifications and responses") {
  auto r = tr::peek_message(
      R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"a":[1,{"id":3}]}})");
  CHECK(r.kind == tr::peek_kind::request);
  CHECK(r.id == "7");
  CHECK(r.method == "tools/list");
  auto s = tr::peek_message(R"({"jsonrpc":"2.0","id":"a\"b","method":"x"})");
  CHECK(s.kind == tr::peek_kind::request);
  CHECK(s.id == R"("a\"b")");
  CHECK(tr::peek_message(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").kind ==
        tr::peek_kind::notification);
  auto resp = tr::peek_message(R"({"jsonrpc":"2.0","id":"srv-1","result":{"id":9}})");
  CHECK(resp.kind == tr::peek_kind::response);
  CHECK(resp.id == R"("srv-1")");
  CHECK(tr::peek_message(R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"}})").kind ==
        tr::peek_kind::response);
  CHECK(tr::peek_message("{oops").kind == tr::peek_kind::invalid_json);
  CHECK(tr::peek_message("[{}]").kind == tr::peek_kind::batch);
  CHECK(tr::peek_message("42").kind == tr::peek_kind::invalid);
  CHECK(tr::peek_message(R"({"jsonrpc":"2.0","id":null,"method":"x"})").kind ==
        tr::peek_kind::invalid);
  CHECK(tr::peek_message(R"({"jsonrpc":"2.0","id":1.5,"method":"x"})").kind ==
        tr::peek_kind::invalid);
  CHECK(tr::peek_message(R"({"jsonrpc":"2.0","method":3})").kind == tr::peek_kind::invalid);
}

namespace {

// peek_outbound must read a well-formed message exactly as peek_message does.
void check_same_peek(const std::string& text) {
  CAPTURE(text);
  auto full = tr::peek_message(text);
  auto quick = tr::peek_outbound(text);
  CHECK(quick.kind == full.kind);
  CHECK(quick.id == full.id);
  CHECK(quick.method == full.method);
}

} // namespace

TEST_CASE("peek_outbound reads a server message's kind and id without scanning its result") {
  // Keys in nlohmann's sorted order, not the envelope protocol::encode writes:
  // the parser path.
  for (const char* text :
       {R"({"id":7,"jsonrpc":"2.0","result":{"content":[{"text":"x","type":"text"}]}})",
        R"({"error":{"code":-32601,"message":"m"},"id":"a\"b","jsonrpc":"2.0"})",
        R"({"error":{"code":-32700,"message":"m"},"id":null,"jsonrpc":"2.0"})",
        R"({"id":3,"jsonrpc":"2.0","method":"sampling/createMessage","params":{"id":1}})",
        R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"id":2}})"})
    check_same_peek(text);
  // It stops at the result: what follows is never read.
  auto r = tr::peek_outbound(R"({"id":7,"jsonrpc":"2.0","result":{never read)");
  CHECK(r.kind == tr::peek_kind::response);
  CHECK(r.id == "7");
  CHECK(tr::peek_message(R"({"id":7,"jsonrpc":"2.0","result":{never read)").kind ==
        tr::peek_kind::invalid_json);
  // The same for the envelope protocol::encode writes, read without a parser.
  auto e = tr::peek_outbound(R"({"jsonrpc":"2.0","id":"x","result":{never read)");
  CHECK(e.kind == tr::peek_kind::response);
  CHECK(e.id == R"("x")");
}

TEST_CASE("peek_outbound reads what protocol::encode writes exactly as peek_message does") {
  namespace pr = cafmcp::protocol;
  using nlohmann::json;
  std::vector<pr::message> msgs{
      pr::response{pr::message_id{7}, json{{"content", json::array()}}},
      pr::response{pr::message_id{-12}, json::object()},
      pr::response{pr::message_id{"plain"}, json{{"id", 1}}},
      pr::response{pr::message_id{"quote\"and\\slash"}, json::object()},
      pr::response{pr::message_id{"caf\u00e9 \u2603"}, json::object()},
      pr::error_response{pr::message_id{3}, pr::rpc_error{-32601, "no", std::nullopt}},
      pr::error_response{std::nullopt, pr::rpc_error{-32700, "parse", std::nullopt}},
      pr::request{pr::message_id{4}, "sampling/createMessage", json{{"id", 9}}},
      pr::request{pr::message_id{"s-1"}, "roots/list", std::nullopt},
      pr::notification{"notifications/progress", json{{"progress", 1}}},
      pr::notification{"notifications/odd\"name", std::nullopt},
  };
  for (const auto& m : msgs)
    check_same_peek(pr::encode(m));
}

TEST_CASE("origin policy accepts loopback and rejects foreign hosts and origins") {
  tr::origin_policy p;
  CHECK(p.allows("localhost:8080", std::nullopt));
  CHECK(p.allows("127.0.0.1", "http://localhost:3000"));
  CHECK(p.allows("[::1]:9", "https://[::1]"));
  CHECK(!p.allows("evil.example:8080", std::nullopt));
  CHECK(!p.allows(std::nullopt, std::nullopt));
  CHECK(!p.allows("localhost", "http://evil.example"));
  CHECK(!p.allows("localhost", "null"));
  tr::origin_policy_config cfg;
  cfg.allowed_hosts = {"mcp.example.com"};
  cfg.allowed_origins = {"https://app.example.com"};
  tr::origin_policy q{cfg};
  CHECK(q.allows("mcp.example.com:443", "https://app.example.com"));
  CHECK(q.allows("MCP.example.com", "https://app.example.com:8443"));
  CHECK(!q.allows("localhost", std::nullopt));
  CHECK(!q.allows("mcp.example.com", "https://app.example.com.evil.io"));
  tr::origin_policy_config any;
  any.allowed_hosts = {"*"};
  CHECK(tr::origin_policy{any}.allows("whatever", std::nullopt));
}

TEST_CASE("http_wire formats responses and chunks and SSE events") {
  auto r = tr::format_response(202, {{"X-A", "b"}}, "", true);
  CHECK(r == "HTTP/1.1 202 Accepted\r\nX-A: b\r\nContent-Length: 0\r\n\r\n");
  CHECK(tr::format_chunk("hello") == "5\r\nhello\r\n");
  CHECK(tr::format_sse_event("3-1", "message", "{}") == "id: 3-1\nevent: message\ndata: {}\n\n");
  CHECK(tr::format_sse_event("", "", "a\nb") == "data: a\ndata: b\n\n");
  CHECK(tr::format_sse_event("0-1", "", "") == "id: 0-1\ndata: \n\n");
  CHECK(tr::jsonrpc_error_body(-32000, "Bad \"x\"") ==
        R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad \"x\""},"id":null})");
  tr::http_request req;
  req.target = "/messages?x=1&sessionId=a%2Fb+c";
  CHECK(req.query_param("sessionId") == std::optional<std::string>{"a/b c"});
  CHECK(!req.query_param("nope"));
  CHECK(req.path() == "/messages");
  CHECK(!tr::url_decode("%4"));
}

TEST_CASE("memory event store replays only the asked stream and fails closed") {
  tr::memory_event_store_limits lim;
  lim.max_events_per_stream = 3;
  lim.max_streams_per_session = 2;
  auto store = tr::make_memory_event_store(lim);
  auto a1 = store->append("s", "1", "a1");
  auto b1 = store->append("s", "2", "b1");
  auto a2 = store->append("s", "1", "a2");
  auto a3 = store->append("s", "1", "a3");
  CHECK(a1 != b1);
  auto r = store->replay_after("s", a1);
  REQUIRE(r);
  CHECK(r->stream == "1");
  REQUIRE(r->events.size() == 2);
  CHECK(r->events[0].data == "a2");
  CHECK(r->events[1].id == a3);
  auto rb = store->replay_after("s", b1);
  REQUIRE(rb);
  CHECK(rb->events.empty());
  CHECK(!store->replay_after("other", a1));
  CHECK(!store->replay_after("s", "9-1"));
  CHECK(!store->replay_after("s", "garbage"));
  // Pass the per-stream bound: events after a1 are partly gone.
  store->append("s", "1", "a4");
  store->append("s", "1", "a5");
  CHECK(!store->replay_after("s", a1));
  CHECK(store->replay_after("s", a3));
  // A third stream evicts the least recently appended one (stream 2).
  store->append("s", "3", "c1");
  CHECK(!store->replay_after("s", b1));
  store->forget("s");
  CHECK(!store->replay_after("s", a3));
}
