#pragma once

// The JSON-RPC error object {code, message, data?} and constructors for the
// errors the protocol layer itself produces (checklist §1 "Error codes").

#include "cafmcp/protocol/error_code.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>

namespace cafmcp::protocol {

struct rpc_error {
  int code = error_code::internal_error;
  std::string message;
  // Absent means "no data member on the wire"; a JSON null is a present null.
  std::optional<nlohmann::json> data;

  friend bool operator==(const rpc_error& a, const rpc_error& b) {
    return a.code == b.code && a.message == b.message && a.data == b.data;
  }
  friend bool operator!=(const rpc_error& a, const rpc_error& b) { return !(a == b); }
};

inline rpc_error make_rpc_error(int code, std::string message,
                                std::optional<nlohmann::json> data = std::nullopt) {
  return rpc_error{code, std::move(message), std::move(data)};
}

// Every error the layer produces carries data.reason, a stable snake_case tag
// that tests, metrics and transports (e.g. mapping to HTTP 400/413) can match
// on without parsing the human-readable message.
inline rpc_error make_tagged_error(int code, std::string message, std::string_view reason,
                                   nlohmann::json extra = nlohmann::json::object()) {
  extra["reason"] = reason;
  return rpc_error{code, std::move(message), std::move(extra)};
}

inline rpc_error invalid_request(std::string message, std::string_view reason,
                                 nlohmann::json extra = nlohmann::json::object()) {
  return make_tagged_error(error_code::invalid_request, std::move(message), reason,
                           std::move(extra));
}

inline rpc_error invalid_params(std::string message, std::string_view reason,
                                nlohmann::json extra = nlohmann::json::object()) {
  return make_tagged_error(error_code::invalid_params, std::move(message), reason,
                           std::move(extra));
}

inline rpc_error method_not_found(std::string_view method) {
  return make_tagged_error(error_code::method_not_found, "Method not found: " + std::string{method},
                           "method_not_found", {{"method", method}});
}

inline rpc_error internal_error(std::string message) {
  return make_tagged_error(error_code::internal_error, std::move(message), "internal_error");
}

// -32002 with data.uri, as the 2025-11-25 resources page shows.
inline rpc_error resource_not_found(std::string_view uri) {
  return rpc_error{error_code::resource_not_found, "Resource not found",
                   nlohmann::json{{"uri", uri}}};
}

// -32042: the client must complete these URL-mode elicitations first.
// `elicitations` is the array of ElicitRequestURLParams objects.
inline rpc_error url_elicitation_required(nlohmann::json elicitations) {
  return rpc_error{error_code::url_elicitation_required, "This request requires more information.",
                   nlohmann::json{{"elicitations", std::move(elicitations)}}};
}

inline void to_json(nlohmann::json& j, const rpc_error& e) {
  j = nlohmann::json{{"code", e.code}, {"message", e.message}};
  if (e.data)
    j["data"] = *e.data;
}

} // namespace cafmcp::protocol
