#include "cafmcp/protocol/tool_name.hpp"

namespace cafmcp::protocol {

namespace {

bool allowed(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

} // namespace

result<void, std::string> check_tool_name(std::string_view name) {
  if (name.empty())
    return std::string{"tool name must not be empty"};
  if (name.size() > max_tool_name_length)
    return "tool name is " + std::to_string(name.size()) + " characters long; at most " +
           std::to_string(max_tool_name_length) + " are allowed";
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!allowed(name[i]))
      return "tool name has a character outside [A-Za-z0-9_.-] at position " + std::to_string(i);
  }
  return {};
}

} // namespace cafmcp::protocol
