#include "cafmcp/actors/mcp/wire_format.hpp"

#include <cmath>
#include <limits>

#include "cafmcp/protocol/meta_key.hpp"

namespace cafmcp::mcp {

using nlohmann::json;

namespace {

// BaseMetadata.title, icons and _meta, shared by every listed object.
void add_common(json& out, const std::string& title, const std::vector<protocol::icon>& icons,
                const json& meta, const protocol::revision_traits& rev) {
  if (rev.has_title_fields && !title.empty())
    out["title"] = title;
  if (rev.has_icons && !icons.empty())
    out["icons"] = icons;
  if (meta.is_object() && !meta.empty())
    out["_meta"] = meta;
}

void add_if(json& out, const char* key, const std::string& value) {
  if (!value.empty())
    out[key] = value;
}

} // namespace

json to_wire(const tool_entry& tool, const protocol::revision_traits& rev) {
  const auto& d = tool.def;
  json out{{"name", d.name}};
  add_if(out, "description", d.description);
  out["inputSchema"] = d.input_schema;
  if (rev.has_structured_content && d.output_schema)
    out["outputSchema"] = *d.output_schema;
  if (rev.has_tool_annotations && d.annotations.is_object() && !d.annotations.empty())
    out["annotations"] = d.annotations;
  if (rev.has_tasks && d.tasks != task_support::forbidden)
    out["execution"] = {{"taskSupport", to_string(d.tasks)}};
  add_common(out, d.title, d.icons, d.meta, rev);
  return out;
}

json to_wire(const resource_definition& r, const protocol::revision_traits& rev) {
  json out{{"uri", r.uri}, {"name", r.name}};
  add_if(out, "description", r.description);
  add_if(out, "mimeType", r.mime_type);
  if (r.size)
    out["size"] = *r.size;
  if (r.annotations.is_object() && !r.annotations.empty())
    out["annotations"] = r.annotations;
  add_common(out, r.title, r.icons, r.meta, rev);
  return out;
}

json to_wire(const template_entry& t, const protocol::revision_traits& rev) {
  const auto& d = t.def;
  json out{{"uriTemplate", d.uri_template}, {"name", d.name}};
  add_if(out, "description", d.description);
  add_if(out, "mimeType", d.mime_type);
  if (d.annotations.is_object() && !d.annotations.empty())
    out["annotations"] = d.annotations;
  add_common(out, d.title, d.icons, d.meta, rev);
  return out;
}

json to_wire(const prompt_definition& p, const protocol::revision_traits& rev) {
  json out{{"name", p.name}};
  add_if(out, "description", p.description);
  if (!p.arguments.empty()) {
    json args = json::array();
    for (const auto& a : p.arguments) {
      json arg{{"name", a.name}};
      add_if(arg, "description", a.description);
      if (rev.has_title_fields)
        add_if(arg, "title", a.title);
      arg["required"] = a.required;
      args.push_back(std::move(arg));
    }
    out["arguments"] = std::move(args);
  }
  add_common(out, p.title, p.icons, p.meta, rev);
  return out;
}

json to_wire(const implementation_info& info, const protocol::revision_traits& rev) {
  json out{{"name", info.name}, {"version", info.version}};
  if (rev.has_title_fields)
    add_if(out, "title", info.title);
  // description, websiteUrl and icons arrived together in 2025-11-25
  // (SEP-973); has_icons marks that revision's Implementation shape.
  if (rev.has_icons) {
    add_if(out, "description", info.description);
    add_if(out, "websiteUrl", info.website_url);
    if (!info.icons.empty())
      out["icons"] = info.icons;
  }
  return out;
}

json number_to_json(double value) {
  if (std::isfinite(value) && std::floor(value) == value &&
      std::fabs(value) < static_cast<double>(std::numeric_limits<int64_t>::max()))
    return static_cast<int64_t>(value);
  return value;
}

void strip_reserved_meta(json& object) {
  if (!object.is_object())
    return;
  auto it = object.find("_meta");
  if (it == object.end())
    return;
  if (!it->is_object()) {
    object.erase(it);
    return;
  }
  for (auto m = it->begin(); m != it->end();) {
    if (protocol::is_reserved_meta_key(m.key()))
      m = it->erase(m);
    else
      ++m;
  }
  if (it->empty())
    object.erase(it);
}

} // namespace cafmcp::mcp
