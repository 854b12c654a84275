#include "cafmcp/protocol/initialize_params.hpp"

namespace cafmcp::protocol {

namespace {

rpc_error bad_initialize(std::string what) {
  return invalid_params("Invalid initialize params: " + what, "invalid_initialize");
}

} // namespace

result<initialize_params, rpc_error>
parse_initialize_params(const std::optional<nlohmann::json>& params) {
  if (!params || !params->is_object())
    return bad_initialize("params must be an object");
  const auto& p = *params;
  auto version = p.find("protocolVersion");
  if (version == p.end() || !version->is_string())
    return bad_initialize("protocolVersion must be a string");
  initialize_params out;
  out.requested_version = version->get<std::string>();
  if (auto caps = p.find("capabilities"); caps != p.end()) {
    if (!caps->is_object())
      return bad_initialize("capabilities must be an object");
    out.capabilities = *caps;
  }
  if (auto client = p.find("clientInfo"); client != p.end()) {
    if (!client->is_object())
      return bad_initialize("clientInfo must be an object");
    out.client_info = *client;
  }
  return out;
}

} // namespace cafmcp::protocol
