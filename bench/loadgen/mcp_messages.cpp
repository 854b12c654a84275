#include "mcp_messages.hpp"

#include <nlohmann/json.hpp>

namespace loadgen {

std::string initialize_request(std::uint64_t id) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
         R"(,"method":"initialize","params":{"protocolVersion":")" + protocol_version +
         R"(","capabilities":{},"clientInfo":{"name":"cafmcp-loadgen","version":"1.0"}}})";
}

std::string initialized_notification() {
  return R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
}

std::string ping_request(std::uint64_t id) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":"ping"})";
}

std::string echo_request(std::uint64_t id, std::string_view text) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out += std::to_string(id);
  out += R"(,"method":"tools/call","params":{"name":"echo","arguments":{"text":")";
  out += text;
  out += R"("}}})";
  return out;
}

std::string check_initialize(std::string_view body, std::string& version) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded())
    return "initialize: answer is not JSON";
  auto result = doc.find("result");
  if (result == doc.end() || !result->is_object())
    return "initialize: no result: " + std::string{body.substr(0, 200)};
  auto v = result->find("protocolVersion");
  if (v == result->end() || !v->is_string())
    return "initialize: no protocolVersion";
  version = v->get<std::string>();
  return {};
}

namespace {

bool has_id(std::string_view body, std::uint64_t id) {
  std::string needle = "\"id\":" + std::to_string(id);
  for (auto pos = body.find(needle); pos != std::string_view::npos;
       pos = body.find(needle, pos + 1)) {
    auto end = pos + needle.size();
    if (end == body.size() || body[end] < '0' || body[end] > '9')
      return true;
  }
  return false;
}

} // namespace

bool is_result(std::string_view body, std::uint64_t id) {
  return body.find("\"result\":") != std::string_view::npos && has_id(body, id) &&
         body.find("\"jsonrpc\":\"2.0\"") != std::string_view::npos;
}

bool is_echo_result(std::string_view body, std::uint64_t id, std::string_view text) {
  if (!is_result(body, id) || body.find("\"isError\":true") != std::string_view::npos)
    return false;
  std::string needle = "\"text\":\"";
  needle += text;
  needle += '"';
  return body.find(needle) != std::string_view::npos;
}

bool is_response(std::string_view body) {
  return body.find("\"id\":") != std::string_view::npos &&
         (body.find("\"result\":") != std::string_view::npos ||
          body.find("\"error\":") != std::string_view::npos) &&
         body.find("\"method\":") == std::string_view::npos;
}

} // namespace loadgen
