#pragma once

// Strict UTF-8 validation (RFC 3629): MCP messages are UTF-8 JSON, and a
// peer's bytes must be checked before anything echoes them back.

#include <string_view>

namespace cafmcp::protocol {

// Rejects overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points
// above U+10FFFF and truncated sequences.
bool is_valid_utf8(std::string_view bytes) noexcept;

} // namespace cafmcp::protocol
