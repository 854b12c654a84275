#include "cafmcp/actors/mcp/sampling_rules.hpp"

#include <set>

namespace cafmcp::mcp {

namespace {

using nlohmann::json;

// The content blocks of a message as a list, whether it holds one or many.
std::optional<std::vector<const json*>> blocks_of(const json& message) {
  auto content = message.find("content");
  if (content == message.end())
    return std::nullopt;
  std::vector<const json*> out;
  if (content->is_array()) {
    for (const auto& b : *content)
      out.push_back(&b);
  } else if (content->is_object()) {
    out.push_back(&*content);
  } else {
    return std::nullopt;
  }
  for (const auto* b : out)
    if (!b->is_object() || !b->contains("type") || !(*b)["type"].is_string())
      return std::nullopt;
  return out;
}

std::string type_of(const json& block) {
  return block["type"].get<std::string>();
}

} // namespace

std::optional<std::string> check_sampling_request(const json& params) {
  auto messages = params.find("messages");
  if (messages == params.end() || !messages->is_array())
    return "messages must be an array";
  auto max_tokens = params.find("maxTokens");
  if (max_tokens == params.end() || !max_tokens->is_number_integer())
    return "maxTokens must be an integer";
  if (auto choice = params.find("toolChoice"); choice != params.end()) {
    auto mode = choice->is_object() ? choice->value("mode", std::string{}) : std::string{};
    if (mode != "auto" && mode != "required" && mode != "none")
      return R"(toolChoice.mode must be "auto", "required" or "none")";
  }
  std::set<std::string> unanswered; // tool_use ids the next message must answer
  for (std::size_t i = 0; i < messages->size(); ++i) {
    const auto& m = (*messages)[i];
    auto where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object())
      return where + " must be an object";
    auto role = m.value("role", std::string{});
    if (role != "user" && role != "assistant")
      return where + R"(.role must be "user" or "assistant")";
    auto blocks = blocks_of(m);
    if (!blocks)
      return where + ".content must be a content block or an array of them";
    std::size_t results = 0;
    std::set<std::string> answered;
    std::set<std::string> uses;
    for (const auto* b : *blocks) {
      auto type = type_of(*b);
      if (type == "tool_result") {
        ++results;
        answered.insert(b->value("toolUseId", std::string{}));
      } else if (type == "tool_use") {
        if (role != "assistant")
          return where + ": tool_use blocks belong to assistant messages";
        auto id = b->value("id", std::string{});
        if (id.empty())
          return where + ": a tool_use block needs an id";
        uses.insert(id);
      }
    }
    if (results > 0 && results != blocks->size())
      return where + ": a message with tool_result blocks may contain only tool_result blocks";
    if (results > 0 && role != "user")
      return where + ": tool_result blocks belong to user messages";
    if (!unanswered.empty()) {
      for (const auto& id : unanswered)
        if (answered.count(id) == 0)
          return where + ": tool_use '" + id + "' is not answered by a tool_result";
    } else if (results > 0) {
      return where + ": tool_result without a preceding tool_use";
    }
    unanswered = std::move(uses);
  }
  return std::nullopt;
}

} // namespace cafmcp::mcp
