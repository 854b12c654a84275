#pragma once

// Opaque pagination cursors (checklist §4 "Pagination": opaque cursor /
// nextCursor, invalid cursor -> -32602).
//
// A cursor names the last key the client has seen, not an offset: when the
// list changes between pages (a tool registered, a resource removed) the next
// page resumes right after that key instead of skipping or repeating items,
// so cursors never go stale. It also carries a scope ("tools/list"), so a
// cursor from one list is refused by another, and a checksum, so truncated or
// made-up strings are refused instead of silently restarting somewhere.
// The checksum is not a MAC: a client that forges a cursor only gets to start
// listing at a key of its choice, which it could do anyway by paging.
//
// Wire form: base64url without padding of
//   "c1" US scope US key US <8 hex digits of FNV-1a over what precedes it>
// where US is the byte 0x1F. Clients must treat it as opaque.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cafmcp::protocol {

// Longer cursors are refused without decoding them.
inline constexpr std::size_t max_cursor_length = 4096;

// Precondition: scope contains no 0x1F byte (scopes are our method names).
std::string encode_cursor(std::string_view scope, std::string_view after_key);

// The key encoded in `cursor` if it is well-formed and was made for `scope`,
// else nothing.
std::optional<std::string> decode_cursor(std::string_view scope, std::string_view cursor);

} // namespace cafmcp::protocol
