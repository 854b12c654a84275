// libFuzzer target over everything the protocol layer reads from a peer
// (checklist §1 base protocol, §2 lifecycle, §4 pagination and resource
// templates). The first input byte picks the reader, the rest is its input:
//   0  JSON-RPC decode; a decoded message must survive encode -> decode
//      unchanged, and a refused one must produce an error response that
//      itself decodes. Requests also go through the session lifecycle and,
//      for initialize, through params parsing and version negotiation.
//   1  cursor decoding, and encode -> decode round trips of arbitrary keys
//   2  the small readers on untrusted text and JSON: protocol version and
//      MCP-Protocol-Version header, _meta keys, tool names, log levels,
//      icons, initialize params, the cursor param
//   3  RFC 6570 templates: parse, then match the rest of the input
// Invariant violations abort(), which libFuzzer reports as a crash; ASan and
// UBSan catch the rest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/uri_template.hpp"
#include "cafmcp/protocol/cursor.hpp"
#include "cafmcp/protocol/icon.hpp"
#include "cafmcp/protocol/initialize_params.hpp"
#include "cafmcp/protocol/jsonrpc_codec.hpp"
#include "cafmcp/protocol/log_level.hpp"
#include "cafmcp/protocol/meta_key.hpp"
#include "cafmcp/protocol/pagination.hpp"
#include "cafmcp/protocol/protocol_version.hpp"
#include "cafmcp/protocol/session_lifecycle.hpp"
#include "cafmcp/protocol/tool_name.hpp"

namespace protocol = cafmcp::protocol;
using nlohmann::json;

namespace {

void require(bool condition) {
  if (!condition)
    std::abort();
}

// Small limits keep each run fast; the limit checks themselves are fuzzed too.
const protocol::decode_options limits{64 * 1024, 64};

void feed_lifecycle(const protocol::message& msg) {
  protocol::session_lifecycle lifecycle;
  if (const auto* req = std::get_if<protocol::request>(&msg)) {
    (void)lifecycle.on_request(req->id, req->method);
    (void)lifecycle.may_send_request(req->method);
    (void)lifecycle.may_send_notification(req->method);
    if (req->method == "initialize") {
      auto params = protocol::parse_initialize_params(req->params);
      if (params) {
        auto v = protocol::negotiate(params->requested_version);
        require(protocol::parse_protocol_version(protocol::to_string(v)) == v);
      } else {
        require(params.error().code == protocol::error_code::invalid_params);
        lifecycle.initialize_failed();
      }
    }
  } else if (const auto* note = std::get_if<protocol::notification>(&msg)) {
    (void)lifecycle.on_notification(note->method);
  } else {
    (void)lifecycle.on_response();
  }
}

void fuzz_message(std::string_view text) {
  auto decoded = protocol::decode(text, limits);
  if (decoded) {
    feed_lifecycle(*decoded);
    auto again = protocol::decode(protocol::encode(*decoded));
    require(again.has_value() && *again == *decoded);
  } else {
    // Every refusal is an error object we can send, with a stable reason.
    const auto& err = decoded.error();
    require(err.error.code == protocol::error_code::parse_error ||
            err.error.code == protocol::error_code::invalid_request);
    require(err.error.data && err.error.data->contains("reason"));
    auto reply = protocol::decode(protocol::encode(protocol::to_error_response(err)));
    require(reply.has_value() && std::holds_alternative<protocol::error_response>(*reply));
  }
  // The batch reader (2025-03-26 only) must hold up as well.
  (void)protocol::decode_batch(text, limits);
}

void fuzz_cursor(std::string_view text) {
  (void)protocol::decode_cursor("tools/list", text);
  auto key = protocol::decode_cursor("resources/list", text);
  if (key)
    require(protocol::decode_cursor("prompts/list", text) == std::nullopt);
  // Any key round-trips, and is bound to its scope.
  auto cursor = protocol::encode_cursor("tools/list", text);
  if (cursor.size() <= protocol::max_cursor_length) {
    require(protocol::decode_cursor("tools/list", cursor) == std::string{text});
    require(!protocol::decode_cursor("prompts/list", cursor));
  }
}

void fuzz_readers(std::string_view text) {
  (void)protocol::parse_protocol_version(text);
  (void)protocol::negotiate(text);
  auto header = protocol::parse_protocol_version_header(text);
  if (!header)
    require(header.error().code == protocol::error_code::invalid_request);
  (void)protocol::parse_meta_key(text);
  (void)protocol::is_reserved_meta_key(text);
  (void)protocol::check_tool_name(text);
  (void)protocol::parse_log_level(text);
  (void)protocol::check_icon_src(text);
  auto value = json::parse(text, nullptr, false);
  if (value.is_discarded())
    return;
  (void)protocol::parse_icons(value);
  (void)protocol::parse_icon(value);
  (void)protocol::parse_initialize_params(value);
  (void)protocol::cursor_param(value);
  (void)protocol::decode_value(value);
}

void fuzz_uri_template(std::string_view text) {
  auto split = text.find('\n');
  auto tmpl = cafmcp::mcp::uri_template::parse(text.substr(0, split));
  if (!tmpl)
    return;
  cafmcp::mcp::uri_template::variables vars;
  auto uri = split == std::string_view::npos ? std::string_view{} : text.substr(split + 1);
  if (tmpl->match(uri, vars)) {
    // What matched expands back into something the template matches.
    cafmcp::mcp::uri_template::variables again;
    auto expanded = tmpl->expand(vars);
    (void)tmpl->match(expanded, again);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::string_view text{reinterpret_cast<const char*>(data + 1), size - 1};
  switch (data[0] % 4) {
  case 0:
    fuzz_message(text);
    break;
  case 1:
    fuzz_cursor(text);
    break;
  case 2:
    fuzz_readers(text);
    break;
  default:
    fuzz_uri_template(text);
    break;
  }
  return 0;
}
