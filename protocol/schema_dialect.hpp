#pragma once

// The JSON Schema dialects cafmcp understands (checklist §1 "JSON Schema").
// Its own header because both the version seam (revision_traits.hpp) and the
// validator (json_schema.hpp) name it.

#include <optional>
#include <string_view>

namespace cafmcp::protocol {

enum class schema_dialect {
  draft_2020_12, // MCP 2025-11-25 default when $schema is absent
  draft_07,      // what the SDKs emitted before 2025-11-25 (zod-to-json-schema)
};

// The canonical $schema URI of a dialect.
constexpr std::string_view schema_dialect_uri(schema_dialect d) noexcept {
  return d == schema_dialect::draft_2020_12 ? "https://json-schema.org/draft/2020-12/schema"
                                            : "http://json-schema.org/draft-07/schema#";
}

// Recognises a $schema value. Accepts the canonical URIs plus their http/https
// twin and with or without the empty fragment "#", since both spellings are
// common in the wild. Anything else (draft-04, 2019-09, custom) is nothing.
std::optional<schema_dialect> parse_schema_dialect(std::string_view uri) noexcept;

} // namespace cafmcp::protocol
