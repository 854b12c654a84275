#pragma once

// Tool-name rules of MCP 2025-11-25 (SEP-986, checklist §4 "Tools"):
// 1 to 128 characters from [A-Za-z0-9_.-], case-sensitive. The spec words
// them as SHOULD; cafmcp enforces them at registration so that every client
// can address every tool.

#include "cafmcp/protocol/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace cafmcp::protocol {

inline constexpr std::size_t max_tool_name_length = 128;

// Nothing when the name is valid, otherwise a sentence saying what is wrong.
result<void, std::string> check_tool_name(std::string_view name);

inline bool is_valid_tool_name(std::string_view name) {
  return check_tool_name(name).has_value();
}

} // namespace cafmcp::protocol
