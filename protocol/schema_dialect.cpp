#include "cafmcp/protocol/schema_dialect.hpp"

namespace cafmcp::protocol {

namespace {

// "https://x" and "http://x", each with or without a trailing "#".
bool same_uri_loosely(std::string_view given, std::string_view host_and_path) noexcept {
  if (!given.empty() && given.back() == '#')
    given.remove_suffix(1);
  for (std::string_view scheme : {std::string_view{"https://"}, std::string_view{"http://"}}) {
    if (given.size() == scheme.size() + host_and_path.size() &&
        given.substr(0, scheme.size()) == scheme && given.substr(scheme.size()) == host_and_path)
      return true;
  }
  return false;
}

} // namespace

std::optional<schema_dialect> parse_schema_dialect(std::string_view uri) noexcept {
  if (same_uri_loosely(uri, "json-schema.org/draft/2020-12/schema"))
    return schema_dialect::draft_2020_12;
  if (same_uri_loosely(uri, "json-schema.org/draft-07/schema"))
    return schema_dialect::draft_07;
  return std::nullopt;
}

} // namespace cafmcp::protocol
