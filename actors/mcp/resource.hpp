#pragma once
// Resources and resource templates as an application registers them
// (checklist §4 "Resources"). A static resource answers reads of exactly its
// URI; a template answers every URI that matches its RFC 6570 uriTemplate
// and gets the matched variables.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/call_context.hpp"
#include "cafmcp/actors/mcp/execution.hpp"
#include "cafmcp/actors/mcp/uri_template.hpp"
#include "cafmcp/protocol/icon.hpp"
#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

namespace cafmcp::mcp {

// One entry of ReadResourceResult.contents: text or blob (base64).
struct resource_content {
  std::string uri;
  std::string mime_type; // empty: omitted
  std::optional<std::string> text;
  std::optional<std::string> blob;
  nlohmann::json meta; // null: omitted

  static resource_content text_content(std::string uri, std::string mime_type, std::string text);
  static resource_content blob_content(std::string uri, std::string mime_type, std::string base64);
};

void to_json(nlohmann::json& j, const resource_content& c);

// True for an absolute URI: an RFC 3986 scheme (ALPHA *(ALPHA / DIGIT / "+" /
// "-" / ".")) followed by ':' and at least one more character, with no
// spaces or control characters. Resource URIs must be absolute.
bool is_absolute_uri(std::string_view uri) noexcept;

struct resource_request {
  std::string uri;
  uri_template::variables variables; // empty for static resources
};

// The contents, or a JSON-RPC error such as protocol::resource_not_found(uri)
// when a template matched but names nothing that exists.
using read_result = protocol::result<std::vector<resource_content>, protocol::rpc_error>;
using resource_read_fn = std::function<read_result(const resource_request&, call_context&)>;

struct resource_definition {
  std::string uri; // absolute (has a scheme), unique on the node
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  std::optional<uint64_t> size;
  nlohmann::json annotations; // Annotations {audience, priority, lastModified}; null: none
  std::vector<protocol::icon> icons;
  nlohmann::json meta;
  resource_read_fn read;
  execution mode = execution::blocking;
};

struct resource_template_definition {
  std::string uri_template; // RFC 6570 level 1-2, unique on the node
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  nlohmann::json annotations;
  std::vector<protocol::icon> icons;
  nlohmann::json meta;
  resource_read_fn read;
  execution mode = execution::blocking;
};

} // namespace cafmcp::mcp
