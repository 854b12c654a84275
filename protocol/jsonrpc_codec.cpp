#include "cafmcp/protocol/jsonrpc_codec.hpp"

#include "cafmcp/protocol/utf8.hpp"

#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

namespace cafmcp::protocol {

namespace {

using nlohmann::json;

// Never throws: a handler may put arbitrary bytes into a string.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The deepest nesting of [ and { outside strings. Counted on the raw bytes so
// that a hostile message is refused before the parser allocates anything.
bool nesting_exceeds(std::string_view bytes, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : bytes) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
    case '"':
      in_string = true;
      break;
    case '[':
    case '{':
      if (++depth > max_depth)
        return true;
      break;
    case ']':
    case '}':
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return false;
}

decode_error refuse(rpc_error e, std::optional<message_id> id = std::nullopt) {
  return decode_error{std::move(e), std::move(id)};
}

// Size, depth, UTF-8 and JSON syntax: everything before looking at the shape.
result<json, decode_error> parse(std::string_view bytes, const decode_options& options) {
  if (bytes.size() > options.max_message_bytes)
    return refuse(
        invalid_request("Message too large", "message_too_large",
                        {{"max_bytes", options.max_message_bytes}, {"size", bytes.size()}}));
  if (!is_valid_utf8(bytes))
    return refuse(
        make_tagged_error(error_code::parse_error, "Parse error: invalid UTF-8", "invalid_utf8"));
  if (nesting_exceeds(bytes, options.max_depth))
    return refuse(invalid_request("Message nested too deeply", "nesting_too_deep",
                                  {{"max_depth", options.max_depth}}));
  try {
    return json::parse(bytes);
  } catch (const json::exception& e) {
    // parse_error for syntax, out_of_range for numbers like 1e400.
    return refuse(make_tagged_error(error_code::parse_error, "Parse error", "invalid_json",
                                    {{"detail", e.what()}}));
  } catch (const std::exception& e) {
    return refuse(internal_error(std::string{"Could not parse message: "} + e.what()));
  }
}

bool is_structured(const json& j) {
  return j.is_object() || j.is_array();
}

std::optional<message_id> read_id(const json& msg) {
  auto it = msg.find("id");
  if (it == msg.end())
    return std::nullopt;
  return message_id_from_json(*it);
}

// `msg` is ours to take apart: params and results are moved, not copied.
decode_result decode_request_or_notification(json& msg, std::optional<message_id> id) {
  if (msg.contains("result") || msg.contains("error"))
    return refuse(invalid_request("A request must not carry result or error", "result_in_request"),
                  id);
  const auto& method = msg.at("method");
  if (!method.is_string())
    return refuse(invalid_request("method must be a string", "invalid_method"), id);
  std::optional<json> params;
  if (auto it = msg.find("params"); it != msg.end()) {
    if (!is_structured(*it))
      return refuse(invalid_request("params must be an object or an array", "invalid_params"), id);
    params = std::move(*it);
  }
  auto id_it = msg.find("id");
  if (id_it == msg.end())
    return message{notification{method.get<std::string>(), std::move(params)}};
  if (id_it->is_null())
    return refuse(invalid_request("A request id must not be null", "null_id"));
  if (!id)
    return refuse(invalid_request("A request id must be a string or an integer", "invalid_id"));
  return message{request{std::move(*id), method.get<std::string>(), std::move(params)}};
}

std::optional<rpc_error> read_error_object(const json& e) {
  if (!e.is_object())
    return std::nullopt;
  auto code = e.find("code");
  auto text = e.find("message");
  if (code == e.end() || !code->is_number_integer() || text == e.end() || !text->is_string())
    return std::nullopt;
  // is_number_integer() covers unsigned too; both must fit an int.
  if (code->is_number_unsigned()) {
    if (code->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
      return std::nullopt;
  } else {
    auto v = code->get<std::int64_t>();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      return std::nullopt;
  }
  rpc_error out{code->get<int>(), text->get<std::string>(), std::nullopt};
  if (auto data = e.find("data"); data != e.end())
    out.data = *data;
  return out;
}

decode_result decode_reply(json& msg, std::optional<message_id> id) {
  auto result_it = msg.find("result");
  auto error_it = msg.find("error");
  const bool has_result = result_it != msg.end();
  const bool has_error = error_it != msg.end();
  if (has_result && has_error)
    return refuse(
        invalid_request("A response must not carry both result and error", "result_and_error"), id);
  if (!has_result && !has_error)
    return refuse(
        invalid_request("Not a request, notification or response", "missing_method_result_error"),
        id);
  auto id_it = msg.find("id");
  const bool id_present = id_it != msg.end();
  if (id_present && !id_it->is_null() && !id)
    return refuse(invalid_request("A response id must be a string or an integer", "invalid_id"));
  if (has_result) {
    if (!id)
      return refuse(invalid_request("A successful response needs an id", "null_id"));
    return message{response{std::move(*id), std::move(*result_it)}};
  }
  auto err = read_error_object(*error_it);
  if (!err)
    return refuse(invalid_request("error must be an object with an integer code and a string "
                                  "message",
                                  "invalid_error_object"),
                  id);
  return message{error_response{std::move(id), std::move(*err)}};
}

std::string encode_id(const message_id& id) {
  if (id.is_integer())
    return std::to_string(id.as_integer());
  return dump(json(id.as_string()));
}

// Built by concatenation so that a large result or params tree is serialised
// in place instead of being deep-copied into an envelope object first.
std::string envelope(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 16);
  out += R"({"jsonrpc":"2.0",)";
  out += body;
  out += '}';
  return out;
}

std::string method_and_params(const std::string& method, const std::optional<json>& params) {
  std::string out = R"("method":)" + dump(json(method));
  if (params) {
    out += R"(,"params":)";
    out += dump(*params);
  }
  return out;
}

} // namespace

std::optional<message_id> message_id_from_json(const json& value) {
  if (value.is_string())
    return message_id{value.get<std::string>()};
  if (value.is_number_unsigned()) {
    auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return message_id{static_cast<std::int64_t>(v)};
  }
  if (value.is_number_integer())
    return message_id{value.get<std::int64_t>()};
  return std::nullopt;
}

namespace {

decode_result decode_owned(json& msg) {
  if (!msg.is_object())
    return refuse(invalid_request("A JSON-RPC message must be an object", "not_an_object"));
  auto id = read_id(msg);
  auto version = msg.find("jsonrpc");
  if (version == msg.end() || !version->is_string() ||
      version->get_ref<const std::string&>() != "2.0")
    return refuse(invalid_request(R"(jsonrpc must be "2.0")", "invalid_jsonrpc_version"), id);
  if (msg.contains("method"))
    return decode_request_or_notification(msg, std::move(id));
  return decode_reply(msg, std::move(id));
}

} // namespace

decode_result decode_value(const json& msg) {
  json copy = msg;
  return decode_owned(copy);
}

decode_result decode(std::string_view bytes, const decode_options& options) {
  auto parsed = parse(bytes, options);
  if (!parsed)
    return std::move(parsed).error();
  if (parsed->is_array())
    return refuse(invalid_request("JSON-RPC batches are not supported (removed in MCP 2025-06-18)",
                                  "batch_not_supported"));
  return decode_owned(*parsed);
}

batch_decode_result decode_batch(std::string_view bytes, const decode_options& options) {
  auto parsed = parse(bytes, options);
  if (!parsed)
    return std::move(parsed).error();
  std::vector<decode_result> out;
  if (!parsed->is_array()) {
    out.push_back(decode_owned(*parsed));
    return out;
  }
  if (parsed->empty())
    return refuse(invalid_request("A batch must not be empty", "empty_batch"));
  out.reserve(parsed->size());
  for (auto& element : *parsed)
    out.push_back(decode_owned(element));
  return out;
}

std::string encode(const request& msg) {
  return envelope(R"("id":)" + encode_id(msg.id) + ',' + method_and_params(msg.method, msg.params));
}

std::string encode(const notification& msg) {
  return envelope(method_and_params(msg.method, msg.params));
}

std::string encode(const response& msg) {
  return envelope(R"("id":)" + encode_id(msg.id) + R"(,"result":)" + dump(msg.result));
}

std::string encode(const error_response& msg) {
  std::string id = msg.id ? encode_id(*msg.id) : std::string{"null"};
  return envelope(R"("id":)" + id + R"(,"error":)" + dump(json(msg.error)));
}

std::string encode(const message& msg) {
  return std::visit([](const auto& m) { return encode(m); }, msg);
}

std::string encode_batch(const std::vector<message>& msgs) {
  std::string out = "[";
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    if (i > 0)
      out += ',';
    out += encode(msgs[i]);
  }
  out += ']';
  return out;
}

void to_json(json& j, const message_id& id) {
  if (id.is_integer())
    j = id.as_integer();
  else
    j = id.as_string();
}

void to_json(json& j, const request& msg) {
  j = json{{"jsonrpc", "2.0"}, {"id", msg.id}, {"method", msg.method}};
  if (msg.params)
    j["params"] = *msg.params;
}

void to_json(json& j, const notification& msg) {
  j = json{{"jsonrpc", "2.0"}, {"method", msg.method}};
  if (msg.params)
    j["params"] = *msg.params;
}

void to_json(json& j, const response& msg) {
  j = json{{"jsonrpc", "2.0"}, {"id", msg.id}, {"result", msg.result}};
}

void to_json(json& j, const error_response& msg) {
  j = json{{"jsonrpc", "2.0"}, {"error", msg.error}};
  if (msg.id)
    j["id"] = *msg.id;
  else
    j["id"] = nullptr;
}

void to_json(json& j, const message& msg) {
  std::visit([&j](const auto& m) { to_json(j, m); }, msg);
}

} // namespace cafmcp::protocol
