#include "cafmcp/client/client_error.hpp"

#include <caf/make_message.hpp>
#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace cafmcp::client {

std::string to_string(client_errc code) {
  switch (code) {
  case client_errc::connection_refused:
    return "connection_refused";
  case client_errc::connection_lost:
    return "connection_lost";
  case client_errc::timeout:
    return "timeout";
  case client_errc::http_status:
    return "http_status";
  case client_errc::session_expired:
    return "session_expired";
  case client_errc::rpc_error:
    return "rpc_error";
  case client_errc::malformed_response:
    return "malformed_response";
  case client_errc::closed:
    return "closed";
  case client_errc::not_connected:
    return "not_connected";
  case client_errc::unsupported_version:
    return "unsupported_version";
  case client_errc::invalid_config:
    return "invalid_config";
  }
  return "client_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

void add_client_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(client_error_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& context) {
                           auto out = "mcp_client: " + to_string(static_cast<client_errc>(code));
                           if (context.match_element<std::string>(0))
                             out += " (" + context.get_as<std::string>(0) + ")";
                           return out;
                         });
}

caf::error make_client_error(client_errc code, std::string detail, std::int64_t rpc_code,
                             std::string data_json, int http_status) {
  return caf::error{static_cast<std::uint8_t>(code), client_error_category,
                    caf::make_message(std::move(detail), rpc_code, std::move(data_json),
                                      static_cast<std::int32_t>(http_status))};
}

bool is(const caf::error& err, client_errc code) {
  return err && err.category() == client_error_category &&
         err.code() == static_cast<std::uint8_t>(code);
}

client_failure failure_of(const caf::error& err) {
  client_failure f;
  if (err.category() == client_error_category) {
    f.kind = static_cast<client_errc>(err.code());
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string, std::int64_t, std::string, std::int32_t>()) {
      f.message = ctx.get_as<std::string>(0);
      f.rpc_code = ctx.get_as<std::int64_t>(1);
      const auto& data = ctx.get_as<std::string>(2);
      if (!data.empty())
        f.data = nlohmann::json::parse(data, nullptr, false);
      f.http_status = ctx.get_as<std::int32_t>(3);
    }
    return f;
  }
  if (err == caf::sec::request_timeout) {
    f.kind = client_errc::timeout;
    f.message = "no answer in time";
    return f;
  }
  // A broken promise or a dead client actor: the session is gone.
  f.kind = client_errc::connection_lost;
  f.message = caf::to_string(err);
  return f;
}

std::string to_string(const client_failure& f) {
  auto out = to_string(f.kind);
  if (f.kind == client_errc::rpc_error)
    out += " " + std::to_string(f.rpc_code);
  if (f.http_status != 0)
    out += " HTTP " + std::to_string(f.http_status);
  if (!f.message.empty())
    out += ": " + f.message;
  return out;
}

} // namespace cafmcp::client
