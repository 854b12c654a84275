#pragma once

// `_meta` key names (checklist §1 "_meta is reserved", basic/index.mdx of
// 2025-11-25): an optional prefix, then a name.
// * prefix: dot-separated labels followed by '/'. A label starts with a
//   letter, ends with a letter or digit, and has letters, digits or '-'
//   inside (reverse DNS such as "com.example/").
// * name: empty, or starts and ends with [A-Za-z0-9] with [A-Za-z0-9._-]
//   inside.
// A prefix whose *second* label is "modelcontextprotocol" or "mcp" is
// reserved for MCP itself ("io.modelcontextprotocol/", "dev.mcp/",
// "com.mcp.tools/"); "com.example.mcp/" is not (mcp is the third label).
// The reserved check ignores case, like DNS, so "IO.MCP/" cannot slip past.

#include "cafmcp/protocol/result.hpp"

#include <string>
#include <string_view>

namespace cafmcp::protocol {

struct meta_key_parts {
  std::string_view prefix; // without the trailing '/'; empty if none
  std::string_view name;
  bool has_prefix = false;
};

// Splits and validates a key; the error says which rule it breaks.
result<meta_key_parts, std::string> parse_meta_key(std::string_view key);

inline bool is_valid_meta_key(std::string_view key) {
  return parse_meta_key(key).has_value();
}

// True for a valid key whose prefix is reserved for MCP. Server code that
// copies handler-supplied `_meta` onto the wire uses this to keep handlers
// from speaking for the protocol.
bool is_reserved_meta_key(std::string_view key);

} // namespace cafmcp::protocol
