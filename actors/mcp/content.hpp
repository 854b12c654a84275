#pragma once
// Builders for the JSON shapes handlers return (schema.ts ContentBlock,
// CallToolResult, PromptMessage), so embedders need not spell MCP's field
// names. Plain JSON in, plain JSON out: handlers may always build the JSON
// themselves instead.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cafmcp::mcp::content {

// {type:"text", text}
nlohmann::json text(std::string text);
// {type:"image", data (base64), mimeType}
nlohmann::json image(std::string base64_data, std::string mime_type);
// {type:"audio", data (base64), mimeType}
nlohmann::json audio(std::string base64_data, std::string mime_type);
// {type:"resource", resource:{uri, mimeType, text}}
nlohmann::json embedded_text(std::string uri, std::string mime_type, std::string text);
// {type:"resource", resource:{uri, mimeType, blob (base64)}}
nlohmann::json embedded_blob(std::string uri, std::string mime_type, std::string base64_blob);
// {type:"resource_link", uri, name, mimeType?, description?}
nlohmann::json resource_link(std::string uri, std::string name, std::string mime_type = {},
                             std::string description = {});

} // namespace cafmcp::mcp::content

namespace cafmcp::mcp {

// CallToolResult {content, structuredContent?, isError?}.
nlohmann::json tool_result(nlohmann::json content_blocks,
                           std::optional<nlohmann::json> structured = std::nullopt,
                           bool is_error = false);
// One text block.
nlohmann::json text_result(std::string text);
// One text block with isError: a tool execution failure the model can see.
nlohmann::json error_result(std::string text);
// structuredContent plus its JSON text as a text block (the spec asks tools
// returning structured content to serialise it into a text block too).
nlohmann::json structured_result(nlohmann::json structured);

// PromptMessage {role: "user" | "assistant", content}.
nlohmann::json prompt_message(std::string role, nlohmann::json content_block);

} // namespace cafmcp::mcp
