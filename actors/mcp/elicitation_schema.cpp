#include "cafmcp/actors/mcp/elicitation_schema.hpp"

namespace cafmcp::mcp {

namespace {

bool is_string_enum_item(const nlohmann::json& items) {
  if (!items.is_object())
    return false;
  if (auto e = items.find("enum"); e != items.end())
    return e->is_array();
  for (const char* key : {"anyOf", "oneOf"})
    if (auto a = items.find(key); a != items.end())
      return a->is_array();
  return false;
}

std::optional<std::string> check_property(const std::string& name, const nlohmann::json& p) {
  if (!p.is_object())
    return "property '" + name + "' must be an object";
  auto type = p.find("type");
  if (type == p.end() || !type->is_string())
    return "property '" + name + "' needs a string 'type'";
  const auto& t = type->get_ref<const std::string&>();
  if (t == "string" || t == "number" || t == "integer" || t == "boolean")
    return std::nullopt;
  if (t == "array") {
    auto items = p.find("items");
    if (items == p.end() || !is_string_enum_item(*items))
      return "property '" + name + "' is an array but not a multi-select enum";
    return std::nullopt;
  }
  return "property '" + name + "' has type '" + t +
         "'; only string, number, integer, boolean and enum arrays are allowed";
}

} // namespace

std::optional<std::string> check_elicitation_schema(const nlohmann::json& schema) {
  if (!schema.is_object())
    return "requestedSchema must be an object";
  auto type = schema.find("type");
  if (type == schema.end() || *type != "object")
    return R"(requestedSchema must have "type": "object")";
  auto props = schema.find("properties");
  if (props == schema.end() || !props->is_object())
    return "requestedSchema must have a 'properties' object";
  for (const auto& [name, p] : props->items())
    if (auto err = check_property(name, p))
      return err;
  if (auto req = schema.find("required"); req != schema.end() && !req->is_array())
    return "requestedSchema.required must be an array";
  return std::nullopt;
}

} // namespace cafmcp::mcp
