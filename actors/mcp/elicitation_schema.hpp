#pragma once
// The shape MCP allows for a form-mode elicitation's requestedSchema
// (checklist §4 "Elicitation"): an object schema whose properties are all
// primitives (string with optional format/length/enum/oneOf, number,
// integer, boolean) or multi-select enums (array of string enum or anyOf
// items). No nesting. Clients validate this before showing anything, so an
// off-spec schema is refused before it is sent.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cafmcp::mcp {

// Nothing when `schema` is acceptable, else what is wrong with it.
std::optional<std::string> check_elicitation_schema(const nlohmann::json& schema);

} // namespace cafmcp::mcp
