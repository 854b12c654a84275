#pragma once

// MCP protocol revisions and version negotiation (checklist §2 "Version
// negotiation", §6 "MCP-Protocol-Version header").
//
// Adding a revision (2026-07-28) means: a new enumerator here, its string in
// protocol_version.cpp, and its row in revision_traits.hpp. Code elsewhere
// asks revision_traits what a revision has, never compares versions itself.

#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace cafmcp::protocol {

// Oldest first, so that `a < b` means "a is older than b".
enum class protocol_version {
  v2024_11_05,
  v2025_03_26,
  v2025_06_18,
  v2025_11_25,
};

inline constexpr protocol_version latest_protocol_version = protocol_version::v2025_11_25;

// Assumed when an HTTP request has no MCP-Protocol-Version header and the
// version is not otherwise known (transports spec, 2025-06-18 and later).
inline constexpr protocol_version default_header_protocol_version = protocol_version::v2025_03_26;

// Every revision cafmcp serves, newest first.
inline constexpr std::array<protocol_version, 4> supported_protocol_versions = {
    protocol_version::v2025_11_25,
    protocol_version::v2025_06_18,
    protocol_version::v2025_03_26,
    protocol_version::v2024_11_05,
};

// The wire form, e.g. "2025-11-25".
std::string_view to_string(protocol_version v) noexcept;

// Exact match against the supported wire forms; anything else is nothing.
std::optional<protocol_version> parse_protocol_version(std::string_view text) noexcept;

// initialize: echo the client's version if we support it, otherwise answer the
// latest one we support (the client then decides whether it can go on).
// Never an error.
protocol_version negotiate(std::string_view requested) noexcept;

// The same, restricted to `enabled` (e.g. an operator pinned the server to
// older revisions). Answers the newest enabled version when the request is
// not among them; an empty `enabled` means all supported versions.
protocol_version negotiate(std::string_view requested,
                           const std::vector<protocol_version>& enabled) noexcept;

// Validates an MCP-Protocol-Version header value. `header` is nullopt when the
// header is missing: then the version already negotiated for the session is
// used if known, else 2025-03-26. Surrounding spaces/tabs are ignored. An
// unknown value is -32600 (reason "unsupported_protocol_version", with
// data.supported and data.requested); transports answer it with HTTP 400.
// The value need not match the negotiated version: clients may legitimately
// send any supported one (the conformance suite sends 2025-03-26).
result<protocol_version, rpc_error>
parse_protocol_version_header(std::optional<std::string_view> header,
                              std::optional<protocol_version> negotiated = std::nullopt);

} // namespace cafmcp::protocol
