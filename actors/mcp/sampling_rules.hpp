#pragma once
// What a sampling/createMessage request must look like before it is sent
// (checklist §4 "Sampling"): messages is an array of {role, content} where
// content is one block or an array of blocks; a user message that carries a
// tool_result carries nothing but tool_result blocks; every tool_use of an
// assistant message is answered, by toolUseId, in the very next message;
// toolChoice.mode is auto, required or none. Clients validate requests
// against the schema and refuse broken ones, so we refuse them first, where
// the handler can still see why.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cafmcp::mcp {

// Nothing when `params` is acceptable, else what is wrong with it.
std::optional<std::string> check_sampling_request(const nlohmann::json& params);

} // namespace cafmcp::mcp
