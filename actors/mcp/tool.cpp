#include "cafmcp/actors/mcp/tool.hpp"

namespace cafmcp::mcp {

std::string_view to_string(task_support x) noexcept {
  switch (x) {
  case task_support::forbidden:
    return "forbidden";
  case task_support::optional:
    return "optional";
  case task_support::required:
    return "required";
  }
  return "forbidden";
}

} // namespace cafmcp::mcp
