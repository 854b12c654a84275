#pragma once
// Registered definitions -> the JSON objects of tools/list, resources/list,
// resources/templates/list, prompts/list and serverInfo, shaped for the
// negotiated revision: fields a revision does not know (title, icons,
// outputSchema, annotations, execution, ...) are left out by asking
// revision_traits, never by comparing version numbers.

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/feature_registry.hpp"
#include "cafmcp/actors/mcp/server_config.hpp"
#include "cafmcp/protocol/revision_traits.hpp"

namespace cafmcp::mcp {

nlohmann::json to_wire(const tool_entry& tool, const protocol::revision_traits& rev);
nlohmann::json to_wire(const resource_definition& res, const protocol::revision_traits& rev);
nlohmann::json to_wire(const template_entry& tmpl, const protocol::revision_traits& rev);
nlohmann::json to_wire(const prompt_definition& prompt, const protocol::revision_traits& rev);
nlohmann::json to_wire(const implementation_info& info, const protocol::revision_traits& rev);

// A number that prints as an integer when it is one ("50", not "50.0").
nlohmann::json number_to_json(double value);

// Removes the keys reserved for MCP itself from a handler-supplied `_meta`
// (handlers must not speak for the protocol) and drops `_meta` if empty.
void strip_reserved_meta(nlohmann::json& object);

} // namespace cafmcp::mcp
