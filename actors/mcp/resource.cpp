#include "cafmcp/actors/mcp/resource.hpp"

#include <cctype>

namespace cafmcp::mcp {

resource_content resource_content::text_content(std::string uri, std::string mime_type,
                                                std::string text) {
  resource_content c;
  c.uri = std::move(uri);
  c.mime_type = std::move(mime_type);
  c.text = std::move(text);
  return c;
}

resource_content resource_content::blob_content(std::string uri, std::string mime_type,
                                                std::string base64) {
  resource_content c;
  c.uri = std::move(uri);
  c.mime_type = std::move(mime_type);
  c.blob = std::move(base64);
  return c;
}

void to_json(nlohmann::json& j, const resource_content& c) {
  j = nlohmann::json{{"uri", c.uri}};
  if (!c.mime_type.empty())
    j["mimeType"] = c.mime_type;
  if (c.blob)
    j["blob"] = *c.blob;
  else
    j["text"] = c.text.value_or(std::string{});
  if (c.meta.is_object() && !c.meta.empty())
    j["_meta"] = c.meta;
}

bool is_absolute_uri(std::string_view uri) noexcept {
  auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= uri.size())
    return false;
  if (std::isalpha(static_cast<unsigned char>(uri[0])) == 0)
    return false;
  for (std::size_t i = 1; i < colon; ++i) {
    auto c = static_cast<unsigned char>(uri[i]);
    if (std::isalnum(c) == 0 && c != '+' && c != '-' && c != '.')
      return false;
  }
  for (auto ch : uri) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f)
      return false;
  }
  return true;
}

} // namespace cafmcp::mcp
