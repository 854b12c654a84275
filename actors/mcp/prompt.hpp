#pragma once
// Prompts as an application registers them (checklist §4 "Prompts"). The
// server checks required arguments before the handler runs (-32602).

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/call_context.hpp"
#include "cafmcp/actors/mcp/execution.hpp"
#include "cafmcp/protocol/icon.hpp"
#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

namespace cafmcp::mcp {

struct prompt_argument {
  std::string name;
  std::string title;
  std::string description;
  bool required = false;
};

struct prompt_request {
  std::string name;
  std::map<std::string, std::string> arguments;
};

// A GetPromptResult object ({description?, messages}) or just the messages
// array (see prompt_message in content.hpp); or a JSON-RPC error (e.g.
// -32602 for an argument value the prompt cannot use).
using prompt_get_result = protocol::result<nlohmann::json, protocol::rpc_error>;
using prompt_get_fn = std::function<prompt_get_result(const prompt_request&, call_context&)>;

struct prompt_definition {
  std::string name; // unique on the node
  std::string title;
  std::string description;
  std::vector<prompt_argument> arguments;
  std::vector<protocol::icon> icons;
  nlohmann::json meta;
  prompt_get_fn get;
  execution mode = execution::blocking;
};

} // namespace cafmcp::mcp
