#include "cafmcp/protocol/protocol_version.hpp"

#include <algorithm>
#include <string>

namespace cafmcp::protocol {

namespace {

std::string_view trim_ows(std::string_view s) noexcept {
  // RFC 9110 optional whitespace: spaces and horizontal tabs.
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::string_view to_string(protocol_version v) noexcept {
  switch (v) {
  case protocol_version::v2024_11_05:
    return "2024-11-05";
  case protocol_version::v2025_03_26:
    return "2025-03-26";
  case protocol_version::v2025_06_18:
    return "2025-06-18";
  case protocol_version::v2025_11_25:
    return "2025-11-25";
  }
  return "unknown";
}

std::optional<protocol_version> parse_protocol_version(std::string_view text) noexcept {
  for (auto v : supported_protocol_versions)
    if (to_string(v) == text)
      return v;
  return std::nullopt;
}

protocol_version negotiate(std::string_view requested) noexcept {
  if (auto v = parse_protocol_version(requested))
    return *v;
  return latest_protocol_version;
}

protocol_version negotiate(std::string_view requested,
                           const std::vector<protocol_version>& enabled) noexcept {
  if (enabled.empty())
    return negotiate(requested);
  if (auto v = parse_protocol_version(requested);
      v && std::find(enabled.begin(), enabled.end(), *v) != enabled.end())
    return *v;
  return *std::max_element(enabled.begin(), enabled.end());
}

result<protocol_version, rpc_error>
parse_protocol_version_header(std::optional<std::string_view> header,
                              std::optional<protocol_version> negotiated) {
  if (!header)
    return negotiated ? *negotiated : default_header_protocol_version;
  const auto value = trim_ows(*header);
  if (auto v = parse_protocol_version(value))
    return *v;
  auto supported = nlohmann::json::array();
  for (auto v : supported_protocol_versions)
    supported.push_back(to_string(v));
  // The requested value came from the network: keep it only if it is short
  // printable ASCII, so the error body never carries junk back.
  const bool printable = value.size() <= 64 && std::all_of(value.begin(), value.end(), [](char c) {
                           return c >= 0x20 && c <= 0x7e;
                         });
  return invalid_request(
      "Bad Request: Unsupported protocol version " +
          (printable ? std::string{value} : std::string{"(unprintable)"}),
      "unsupported_protocol_version",
      {{"supported", std::move(supported)},
       {"requested", printable ? nlohmann::json(value) : nlohmann::json(nullptr)}});
}

} // namespace cafmcp::protocol
