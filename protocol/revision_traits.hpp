#pragma once

// The version seam (DESIGN.md §5): what each protocol revision has. The server
// actor, session manager and transports ask these questions instead of
// comparing version numbers, so the next revision (2026-07-28, which drops the
// handshake, sessions, SSE resumability, ping and logging/setLevel) is one new
// row here, not edits across the tree.

#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/protocol_version.hpp"
#include "cafmcp/protocol/schema_dialect.hpp"

#include <iterator>

namespace cafmcp::protocol {

struct revision_traits {
  protocol_version version = protocol_version::v2024_11_05;

  // Lifecycle and session shape.
  bool has_initialize_handshake = false; // initialize + notifications/initialized
  // Protocol state (version, capabilities, log level, subscriptions) bound to
  // a session by initialize; 2026-07-28 makes every request self-describing.
  bool has_sessions = false;
  bool has_session_id_header = false;            // Streamable HTTP Mcp-Session-Id
  bool has_streamable_http = false;              // else the 2024-11-05 HTTP+SSE transport
  bool has_sse_resumability = false;             // SSE event ids + Last-Event-ID replay
  bool requires_protocol_version_header = false; // MCP-Protocol-Version on HTTP
  bool allows_batching = false;                  // JSON-RPC batch arrays
  bool has_ping = false;
  bool has_logging_set_level = false;

  // Features.
  bool has_tool_annotations = false;
  bool has_audio_content = false;
  bool has_completions_capability = false;
  bool has_progress_message = false;   // notifications/progress.message
  bool has_structured_content = false; // Tool.outputSchema + structuredContent
  bool has_resource_links = false;     // resource_link content blocks
  bool has_title_fields = false;       // BaseMetadata.title
  bool has_elicitation = false;        // elicitation/create, form mode
  bool has_url_elicitation = false;    // mode "url" and -32042
  bool has_icons = false;              // icons on tools/resources/prompts/Implementation
  bool has_sampling_tools = false;     // sampling tools/toolChoice
  bool has_tasks = false;              // experimental tasks/*
  // SEP-1303: tools/call input validation failures are tool results with
  // isError:true; before, servers answered -32602.
  bool input_errors_are_tool_errors = false;

  // JSON Schema dialect assumed when a schema has no $schema. 2025-11-25 made
  // it 2020-12; earlier revisions said nothing and the SDKs emitted draft-07.
  schema_dialect default_schema_dialect = schema_dialect::draft_07;
  int resource_not_found_code = error_code::resource_not_found; // 2026-07-28: -32602
};

namespace detail {

// Each revision is its predecessor plus its changelog, which keeps every row
// reviewable against docs/specification/<rev>/changelog.mdx.
constexpr revision_traits rev_2024_11_05() {
  revision_traits t;
  t.version = protocol_version::v2024_11_05;
  t.has_initialize_handshake = true;
  t.has_sessions = true; // per connection; HTTP+SSE names it by a sessionId query parameter
  t.has_ping = true;
  t.has_logging_set_level = true;
  return t;
}

constexpr revision_traits rev_2025_03_26() {
  auto t = rev_2024_11_05();
  t.version = protocol_version::v2025_03_26;
  t.has_streamable_http = true; // replaces HTTP+SSE
  t.has_session_id_header = true;
  t.has_sse_resumability = true;
  t.allows_batching = true; // added here, removed again in 2025-06-18
  t.has_tool_annotations = true;
  t.has_audio_content = true;
  t.has_completions_capability = true;
  t.has_progress_message = true;
  return t;
}

constexpr revision_traits rev_2025_06_18() {
  auto t = rev_2025_03_26();
  t.version = protocol_version::v2025_06_18;
  t.allows_batching = false;
  t.requires_protocol_version_header = true;
  t.has_structured_content = true;
  t.has_resource_links = true;
  t.has_title_fields = true;
  t.has_elicitation = true;
  return t;
}

constexpr revision_traits rev_2025_11_25() {
  auto t = rev_2025_06_18();
  t.version = protocol_version::v2025_11_25;
  t.has_url_elicitation = true;
  t.has_icons = true;
  t.has_sampling_tools = true;
  t.has_tasks = true;
  t.input_errors_are_tool_errors = true;
  t.default_schema_dialect = schema_dialect::draft_2020_12;
  return t;
}

} // namespace detail

// One row per revision, oldest first (index = enumerator value).
inline constexpr revision_traits revision_table[] = {
    detail::rev_2024_11_05(),
    detail::rev_2025_03_26(),
    detail::rev_2025_06_18(),
    detail::rev_2025_11_25(),
};

constexpr const revision_traits& traits(protocol_version v) noexcept {
  return revision_table[static_cast<int>(v)];
}

// A revision added to the enum without a row (or in the wrong order) fails here.
static_assert(std::size(revision_table) == supported_protocol_versions.size());
static_assert(traits(protocol_version::v2024_11_05).version == protocol_version::v2024_11_05);
static_assert(traits(protocol_version::v2025_03_26).version == protocol_version::v2025_03_26);
static_assert(traits(protocol_version::v2025_06_18).version == protocol_version::v2025_06_18);
static_assert(traits(protocol_version::v2025_11_25).version == protocol_version::v2025_11_25);

} // namespace cafmcp::protocol
