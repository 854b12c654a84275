// The JSON-RPC 2.0 codec (checklist §1 "Base protocol": ids, notifications,
// responses, error objects, no batches, UTF-8, error codes).
#include <doctest/doctest.h>

#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/jsonrpc_codec.hpp"

#include <random>
#include <string>
#include <unordered_set>

using namespace cafmcp::protocol;
using nlohmann::json;

namespace {

// The decode error for `text`, asserting that decoding failed.
decode_error failure(std::string_view text, const decode_options& opts = {}) {
  auto r = decode(text, opts);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

std::string reason(const decode_error& e) {
  REQUIRE(e.error.data.has_value());
  return e.error.data->at("reason").get<std::string>();
}

template <class T>
T decoded_as(std::string_view text) {
  auto r = decode(text);
  REQUIRE(r.has_value());
  REQUIRE(std::holds_alternative<T>(*r));
  return std::get<T>(*r);
}

} // namespace

TEST_SUITE("checklist 1 - base protocol - decoding") {

  TEST_CASE("a request with an integer id decodes with method and params") {
    auto req = decoded_as<request>(
        R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}})");
    CHECK(req.id == message_id{7});
    CHECK(req.method == "tools/call");
    REQUIRE(req.params.has_value());
    CHECK(*req.params == json{{"name", "x"}});
  }

  TEST_CASE("a request with a string id keeps it a string") {
    auto req = decoded_as<request>(R"({"jsonrpc":"2.0","id":"7","method":"ping"})");
    CHECK(req.id.is_string());
    CHECK(req.id == message_id{"7"});
    CHECK(req.id != message_id{7});
    CHECK_FALSE(req.params.has_value());
  }

  TEST_CASE("negative and int64-sized integer ids are accepted") {
    CHECK(decoded_as<request>(R"({"jsonrpc":"2.0","id":-3,"method":"ping"})").id == message_id{-3});
    CHECK(decoded_as<request>(R"({"jsonrpc":"2.0","id":9223372036854775807,"method":"ping"})").id ==
          message_id{std::int64_t{9223372036854775807}});
  }

  TEST_CASE("array params are accepted as JSON-RPC allows") {
    auto req = decoded_as<request>(R"({"jsonrpc":"2.0","id":1,"method":"m","params":[1,2]})");
    CHECK(*req.params == json::array({1, 2}));
  }

  TEST_CASE("a message without id is a notification") {
    auto n = decoded_as<notification>(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    CHECK(n.method == "notifications/initialized");
    CHECK_FALSE(n.params.has_value());
  }

  TEST_CASE("a response carries the id and any result") {
    auto r = decoded_as<response>(R"({"jsonrpc":"2.0","id":"a","result":{}})");
    CHECK(r.id == message_id{"a"});
    CHECK(r.result == json::object());
  }

  TEST_CASE("an error response carries code message and data") {
    auto e = decoded_as<error_response>(
        R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"nope","data":{"x":1}}})");
    REQUIRE(e.id.has_value());
    CHECK(*e.id == message_id{3});
    CHECK(e.error.code == error_code::method_not_found);
    CHECK(e.error.message == "nope");
    CHECK(e.error.data == json{{"x", 1}});
  }

  TEST_CASE("an error response may have a null or missing id") {
    CHECK_FALSE(decoded_as<error_response>(
                    R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"p"}})")
                    .id.has_value());
    CHECK_FALSE(
        decoded_as<error_response>(R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"p"}})")
            .id.has_value());
  }

  TEST_CASE("an error response without data has no data") {
    auto e =
        decoded_as<error_response>(R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"}})");
    CHECK_FALSE(e.error.data.has_value());
  }

  TEST_CASE("a UTF-8 byte order mark and surrounding whitespace are tolerated") {
    CHECK(decode("\xEF\xBB\xBF {\"jsonrpc\":\"2.0\",\"method\":\"m\"}\r\n").has_value());
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - base protocol - malformed input") {

  TEST_CASE("invalid JSON is a parse error -32700 without id") {
    auto e = failure(R"({"jsonrpc":"2.0","id":1,"method":)");
    CHECK(e.error.code == error_code::parse_error);
    CHECK(reason(e) == "invalid_json");
    CHECK(e.error.data->contains("detail"));
    CHECK_FALSE(e.id.has_value());
  }

  TEST_CASE("empty input and trailing garbage are parse errors") {
    CHECK(failure("").error.code == error_code::parse_error);
    CHECK(failure(R"({"jsonrpc":"2.0","method":"m"} x)").error.code == error_code::parse_error);
  }

  TEST_CASE("invalid UTF-8 is a parse error -32700") {
    CHECK(reason(failure("{\"jsonrpc\":\"2.0\",\"method\":\"\xC3\x28\"}")) == "invalid_utf8");
    // Overlong encoding of '/', a UTF-16 surrogate, and a code point above U+10FFFF.
    CHECK(failure("{\"jsonrpc\":\"2.0\",\"method\":\"\xC0\xAF\"}").error.code ==
          error_code::parse_error);
    CHECK(failure("{\"jsonrpc\":\"2.0\",\"method\":\"\xED\xA0\x80\"}").error.code ==
          error_code::parse_error);
    CHECK(failure("{\"jsonrpc\":\"2.0\",\"method\":\"\xF4\x90\x80\x80\"}").error.code ==
          error_code::parse_error);
  }

  TEST_CASE("an escaped lone surrogate is a parse error") {
    CHECK(failure(R"({"jsonrpc":"2.0","method":"\ud800"})").error.code == error_code::parse_error);
  }

  TEST_CASE("a number too large for a double is a parse error, not a crash") {
    CHECK(failure(R"({"jsonrpc":"2.0","method":"m","params":{"x":1e400}})").error.code ==
          error_code::parse_error);
  }

  TEST_CASE("a batch array is rejected with -32600 since batching was removed in 2025-06-18") {
    auto e = failure(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "batch_not_supported");
  }

  TEST_CASE("a message that is not an object is an invalid request") {
    for (auto text : {"42", R"("ping")", "null", "true"}) {
      CAPTURE(text);
      auto e = failure(text);
      CHECK(e.error.code == error_code::invalid_request);
      CHECK(reason(e) == "not_an_object");
    }
  }

  TEST_CASE("a wrong or missing jsonrpc version is an invalid request that keeps the id") {
    for (auto text : {R"({"jsonrpc":"1.0","id":5,"method":"ping"})", R"({"id":5,"method":"ping"})",
                      R"({"jsonrpc":2.0,"id":5,"method":"ping"})"}) {
      CAPTURE(text);
      auto e = failure(text);
      CHECK(e.error.code == error_code::invalid_request);
      CHECK(reason(e) == "invalid_jsonrpc_version");
      REQUIRE(e.id.has_value());
      CHECK(*e.id == message_id{5});
    }
  }

  TEST_CASE("a request id must never be null") {
    auto e = failure(R"({"jsonrpc":"2.0","id":null,"method":"ping"})");
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "null_id");
    CHECK_FALSE(e.id.has_value());
  }

  TEST_CASE("fractional boolean object and out-of-range ids are invalid requests") {
    for (auto text : {R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})",
                      R"({"jsonrpc":"2.0","id":true,"method":"ping"})",
                      R"({"jsonrpc":"2.0","id":{},"method":"ping"})",
                      R"({"jsonrpc":"2.0","id":9223372036854775808,"method":"ping"})"}) {
      CAPTURE(text);
      auto e = failure(text);
      CHECK(e.error.code == error_code::invalid_request);
      CHECK(reason(e) == "invalid_id");
    }
  }

  TEST_CASE("a missing or non-string method is an invalid request") {
    auto e = failure(R"({"jsonrpc":"2.0","id":2,"method":42})");
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "invalid_method");
    CHECK(*e.id == message_id{2});
    auto missing = failure(R"({"jsonrpc":"2.0","id":2})");
    CHECK(missing.error.code == error_code::invalid_request);
    CHECK(reason(missing) == "missing_method_result_error");
  }

  TEST_CASE("params that are neither object nor array are an invalid request") {
    for (auto text : {R"({"jsonrpc":"2.0","id":1,"method":"m","params":"x"})",
                      R"({"jsonrpc":"2.0","id":1,"method":"m","params":3})",
                      R"({"jsonrpc":"2.0","id":1,"method":"m","params":null})",
                      R"({"jsonrpc":"2.0","method":"m","params":true})"}) {
      CAPTURE(text);
      auto e = failure(text);
      CHECK(e.error.code == error_code::invalid_request);
      CHECK(reason(e) == "invalid_params");
    }
  }

  TEST_CASE("a response with both result and error is an invalid request") {
    auto e = failure(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}})");
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "result_and_error");
  }

  TEST_CASE("a request that also carries a result is an invalid request") {
    auto e = failure(R"({"jsonrpc":"2.0","id":1,"method":"m","result":{}})");
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "result_in_request");
  }

  TEST_CASE("a successful response needs a non-null id") {
    CHECK(reason(failure(R"({"jsonrpc":"2.0","id":null,"result":{}})")) == "null_id");
    CHECK(reason(failure(R"({"jsonrpc":"2.0","result":{}})")) == "null_id");
  }

  TEST_CASE("an error object without integer code or string message is an invalid request") {
    for (auto text : {R"({"jsonrpc":"2.0","id":1,"error":{"message":"m"}})",
                      R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}})",
                      R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":7}})",
                      R"({"jsonrpc":"2.0","id":1,"error":{"code":4294967296,"message":"m"}})",
                      R"({"jsonrpc":"2.0","id":1,"error":"boom"})"}) {
      CAPTURE(text);
      CHECK(reason(failure(text)) == "invalid_error_object");
    }
  }

  TEST_CASE("a message over the size limit is refused before parsing") {
    decode_options opts;
    opts.max_message_bytes = 32;
    // Not even valid JSON: the size check must come first.
    auto e = failure(std::string(33, '{'), opts);
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "message_too_large");
    CHECK(e.error.data->at("max_bytes") == 32);
    CHECK(e.error.data->at("size") == 33);
    CHECK(decode(R"({"jsonrpc":"2.0","method":"m"})", opts).has_value()); // 30 bytes
  }

  TEST_CASE("nesting deeper than the limit is refused") {
    decode_options opts;
    opts.max_depth = 4;
    CHECK(decode(R"({"jsonrpc":"2.0","method":"m","params":{"a":[{}]}})", opts).has_value());
    auto e = failure(R"({"jsonrpc":"2.0","method":"m","params":{"a":[{"b":[]}]}})", opts);
    CHECK(e.error.code == error_code::invalid_request);
    CHECK(reason(e) == "nesting_too_deep");
  }

  TEST_CASE("brackets inside strings do not count as nesting") {
    decode_options opts;
    opts.max_depth = 2;
    CHECK(decode(R"({"jsonrpc":"2.0","method":"m","params":{"a":"[[[[{{{{\"]]"}})", opts)
              .has_value());
  }

  TEST_CASE(
      "random bytes and mutated messages never throw and always yield a message or an error") {
    // A small deterministic fuzz pass over decode(); the real fuzzer points here too.
    std::mt19937 rng{20251125};
    const std::string seeds[] = {
        R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,2.5,"s",null,true]}}})",
        R"({"jsonrpc":"2.0","id":"x","error":{"code":-32602,"message":"m","data":{"k":"é"}}})",
        R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":50}})",
    };
    std::uniform_int_distribution<int> byte{0, 255};
    // Structural characters, a NUL and a lone continuation byte.
    const std::string alphabet{"{}[]\",:0-e\0\x80", 12};
    for (int round = 0; round < 3000; ++round) {
      std::string text = seeds[static_cast<std::size_t>(round) % 3];
      const int edits = 1 + round % 4;
      for (int e = 0; e < edits; ++e) {
        const auto at = static_cast<std::size_t>(rng() % text.size());
        switch (rng() % 3) {
        case 0:
          text[at] = static_cast<char>(byte(rng));
          break;
        case 1:
          text.erase(at, 1 + rng() % 4);
          break;
        default:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        }
        if (text.empty())
          text = "x";
      }
      CAPTURE(text);
      decode_result r = decode("");
      CHECK_NOTHROW(r = decode(text));
      if (!r) {
        CHECK(r.error().error.data.has_value());
        CHECK_NOTHROW((void)encode(to_error_response(r.error())));
      }
    }
  }

  TEST_CASE("a hostile deeply nested message does not overflow the stack") {
    std::string deep = R"({"jsonrpc":"2.0","method":"m","params":{"a":)";
    deep += std::string(200000, '[');
    deep += std::string(200000, ']');
    deep += "}}";
    CHECK(reason(failure(deep)) == "nesting_too_deep");
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - base protocol - encoding") {

  TEST_CASE("encoded messages are compact single-line JSON that decodes to the same value") {
    const message msgs[] = {
        request{message_id{1}, "tools/list", json::object()},
        request{message_id{"abc"}, "ping", std::nullopt},
        notification{"notifications/progress", json{{"progressToken", 1}, {"progress", 0.5}}},
        response{message_id{-9}, json{{"tools", json::array()}}},
        error_response{message_id{"x"}, rpc_error{-32602, "bad", json{{"k", "v"}}}},
        error_response{std::nullopt, rpc_error{-32700, "Parse error", std::nullopt}},
    };
    for (const auto& m : msgs) {
      const auto text = encode(m);
      CAPTURE(text);
      CHECK(text.find('\n') == std::string::npos);
      CHECK(text.find(": ") == std::string::npos);
      auto back = decode(text);
      REQUIRE(back.has_value());
      CHECK(*back == m);
    }
  }

  TEST_CASE("a notification is encoded without an id member") {
    auto j = json::parse(encode(notification{"notifications/initialized", std::nullopt}));
    CHECK(j == json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  }

  TEST_CASE("an error response without a readable id is encoded with id null") {
    auto j =
        json::parse(encode(error_response{std::nullopt, rpc_error{-32700, "Parse error", {}}}));
    CHECK(j.contains("id"));
    CHECK(j["id"].is_null());
    CHECK_FALSE(j["error"].contains("data"));
  }

  TEST_CASE("ids keep their JSON type when encoded") {
    CHECK(json::parse(encode(response{message_id{1}, json::object()}))["id"] == 1);
    CHECK(json::parse(encode(response{message_id{"1"}, json::object()}))["id"] == "1");
  }

  TEST_CASE("encoding never throws on invalid UTF-8 inside strings") {
    std::string text;
    CHECK_NOTHROW(text = encode(response{message_id{1}, json{{"t", "bad \xC3\x28 byte"}}}));
    CHECK(decode(text).has_value());
  }

  TEST_CASE("a decode failure becomes the error response to send back") {
    auto e = failure(R"({"jsonrpc":"2.0","id":4,"method":7})");
    auto reply = json::parse(encode(to_error_response(e)));
    CHECK(reply["id"] == 4);
    CHECK(reply["error"]["code"] == -32600);
  }

  TEST_CASE("to_json of a message matches its encoding") {
    message m = request{message_id{2}, "tools/call", json{{"name", "t"}}};
    json j = m;
    CHECK(j == json::parse(encode(m)));
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - base protocol - ids and error codes") {

  TEST_CASE("message ids 1 and the string 1 are distinct keys in a hash set") {
    std::unordered_set<message_id> ids{message_id{1}, message_id{"1"}, message_id{1}};
    CHECK(ids.size() == 2);
    CHECK(ids.count(message_id{"1"}) == 1);
  }

  TEST_CASE("progress tokens and ids are read from JSON as string or integer only") {
    CHECK(message_id_from_json(json(5)) == message_id{5});
    CHECK(message_id_from_json(json("t")) == message_id{"t"});
    CHECK_FALSE(message_id_from_json(json(1.0)).has_value());
    CHECK_FALSE(message_id_from_json(json(nullptr)).has_value());
  }

  TEST_CASE("error code constants match the MCP 2025-11-25 values") {
    CHECK(error_code::parse_error == -32700);
    CHECK(error_code::invalid_request == -32600);
    CHECK(error_code::method_not_found == -32601);
    CHECK(error_code::invalid_params == -32602);
    CHECK(error_code::internal_error == -32603);
    CHECK(error_code::resource_not_found == -32002);
    CHECK(error_code::url_elicitation_required == -32042);
  }

  TEST_CASE("resource not found and URL elicitation errors carry their data") {
    auto nf = resource_not_found("test://missing");
    CHECK(nf.code == -32002);
    CHECK(nf.data->at("uri") == "test://missing");
    auto url =
        url_elicitation_required(json::array({json{{"mode", "url"}, {"elicitationId", "e1"}}}));
    CHECK(url.code == -32042);
    CHECK(url.data->at("elicitations").size() == 1);
  }

} // TEST_SUITE

TEST_SUITE("revision 2025-03-26 - batches") {

  TEST_CASE("decode_batch splits a batch and decodes each element on its own") {
    auto r = decode_batch(
        R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":null,"method":"x"}])");
    REQUIRE(r.has_value());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].has_value());
    REQUIRE_FALSE((*r)[1].has_value());
    CHECK((*r)[1].error().error.code == error_code::invalid_request);
  }

  TEST_CASE("decode_batch treats a single object as a batch of one") {
    auto r = decode_batch(R"({"jsonrpc":"2.0","method":"m"})");
    REQUIRE(r.has_value());
    CHECK(r->size() == 1);
  }

  TEST_CASE("an empty batch is one invalid request") {
    auto r = decode_batch("[]");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().error.code == error_code::invalid_request);
  }

  TEST_CASE("batch replies encode as a JSON array") {
    auto text = encode_batch({response{message_id{1}, json::object()},
                              error_response{message_id{2}, rpc_error{-32601, "m", {}}}});
    auto j = json::parse(text);
    REQUIRE(j.is_array());
    CHECK(j.size() == 2);
  }

} // TEST_SUITE
