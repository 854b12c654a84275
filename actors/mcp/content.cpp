#include "cafmcp/actors/mcp/content.hpp"

namespace cafmcp::mcp::content {

using nlohmann::json;

json text(std::string text) {
  return json{{"type", "text"}, {"text", std::move(text)}};
}

json image(std::string base64_data, std::string mime_type) {
  return json{
      {"type", "image"}, {"data", std::move(base64_data)}, {"mimeType", std::move(mime_type)}};
}

json audio(std::string base64_data, std::string mime_type) {
  return json{
      {"type", "audio"}, {"data", std::move(base64_data)}, {"mimeType", std::move(mime_type)}};
}

json embedded_text(std::string uri, std::string mime_type, std::string text) {
  return json{
      {"type", "resource"},
      {"resource",
       {{"uri", std::move(uri)}, {"mimeType", std::move(mime_type)}, {"text", std::move(text)}}}};
}

json embedded_blob(std::string uri, std::string mime_type, std::string base64_blob) {
  return json{{"type", "resource"},
              {"resource",
               {{"uri", std::move(uri)},
                {"mimeType", std::move(mime_type)},
                {"blob", std::move(base64_blob)}}}};
}

json resource_link(std::string uri, std::string name, std::string mime_type,
                   std::string description) {
  json out{{"type", "resource_link"}, {"uri", std::move(uri)}, {"name", std::move(name)}};
  if (!mime_type.empty())
    out["mimeType"] = std::move(mime_type);
  if (!description.empty())
    out["description"] = std::move(description);
  return out;
}

} // namespace cafmcp::mcp::content

namespace cafmcp::mcp {

using nlohmann::json;

json tool_result(json content_blocks, std::optional<json> structured, bool is_error) {
  json out{{"content", std::move(content_blocks)}};
  if (structured)
    out["structuredContent"] = std::move(*structured);
  if (is_error)
    out["isError"] = true;
  return out;
}

json text_result(std::string text) {
  return tool_result(json::array({content::text(std::move(text))}));
}

json error_result(std::string text) {
  return tool_result(json::array({content::text(std::move(text))}), std::nullopt, true);
}

json structured_result(json structured) {
  auto text = structured.dump();
  return tool_result(json::array({content::text(std::move(text))}), std::move(structured));
}

json prompt_message(std::string role, json content_block) {
  return json{{"role", std::move(role)}, {"content", std::move(content_block)}};
}

} // namespace cafmcp::mcp
