#pragma once

// Icons on tools, resources, templates, prompts and Implementation (MCP
// 2025-11-25, SEP-973; checklist §1 "Icons"):
//   {src, mimeType?, sizes?: string[], theme?: "light" | "dark"}
// Consumers accept only https: and data: sources, so cafmcp refuses anything
// else when icons are configured rather than publishing icons no client will
// show (and never javascript:, file: or http:).

#include "cafmcp/protocol/result.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cafmcp::protocol {

enum class icon_theme { light, dark };

struct icon {
  std::string src;
  std::optional<std::string> mime_type;
  std::vector<std::string> sizes; // "48x48", "any"; empty = not stated
  std::optional<icon_theme> theme;
};

// https://<host>... or data:[<mediatype>][;base64],<data>; schemes match
// case-insensitively (RFC 3986), and no spaces or control characters.
result<void, std::string> check_icon_src(std::string_view src);

// Validates and reads one Icon object. Sizes must be "<w>x<h>" or "any".
result<icon, std::string> parse_icon(const nlohmann::json& j);

// Validates and reads an array of Icon objects; the error names the index.
result<std::vector<icon>, std::string> parse_icons(const nlohmann::json& j);

void to_json(nlohmann::json& j, const icon& i);

} // namespace cafmcp::protocol
