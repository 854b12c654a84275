#include "cafmcp/actors/mcp/session_info.hpp"

#include "cafmcp/protocol/revision_traits.hpp"

namespace cafmcp::mcp {

namespace {

const nlohmann::json* member(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object())
    return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

} // namespace

bool session_info::client_has_sampling() const {
  return member(client_capabilities, "sampling") != nullptr;
}

bool session_info::client_has_sampling_tools() const {
  auto* s = member(client_capabilities, "sampling");
  return s != nullptr && protocol::traits(version).has_sampling_tools &&
         member(*s, "tools") != nullptr;
}

bool session_info::client_has_elicitation_form() const {
  if (!protocol::traits(version).has_elicitation)
    return false;
  auto* e = member(client_capabilities, "elicitation");
  if (e == nullptr)
    return false;
  // `elicitation: {}` predates the modes and means form only (2025-11-25
  // keeps that reading for backwards compatibility).
  if (e->is_object() && e->empty())
    return true;
  return member(*e, "form") != nullptr;
}

bool session_info::client_has_elicitation_url() const {
  auto* e = member(client_capabilities, "elicitation");
  return e != nullptr && protocol::traits(version).has_url_elicitation &&
         member(*e, "url") != nullptr;
}

bool session_info::client_has_roots() const {
  return member(client_capabilities, "roots") != nullptr;
}

} // namespace cafmcp::mcp
