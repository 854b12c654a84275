#include "cafmcp/actors/mcp/mcp_error.hpp"

#include <caf/message.hpp>

namespace cafmcp::mcp {

std::string to_string(mcp_errc x) {
  switch (x) {
  case mcp_errc::none:
    return "none";
  case mcp_errc::invalid_definition:
    return "invalid_definition";
  case mcp_errc::duplicate_definition:
    return "duplicate_definition";
  case mcp_errc::session_not_found:
    return "session_not_found";
  case mcp_errc::at_capacity:
    return "at_capacity";
  case mcp_errc::request_timeout:
    return "request_timeout";
  case mcp_errc::request_cancelled:
    return "request_cancelled";
  case mcp_errc::capability_missing:
    return "capability_missing";
  case mcp_errc::client_error:
    return "client_error";
  case mcp_errc::session_closed:
    return "session_closed";
  case mcp_errc::not_allowed_yet:
    return "not_allowed_yet";
  case mcp_errc::invalid_request:
    return "invalid_request";
  case mcp_errc::no_entropy:
    return "no_entropy";
  case mcp_errc::blocking_in_cooperative:
    return "blocking_in_cooperative";
  }
  return "mcp_errc(" + std::to_string(static_cast<int>(x)) + ")";
}

namespace {

std::string render(uint8_t code, const caf::message& ctx) {
  auto out = "mcp: " + to_string(static_cast<mcp_errc>(code));
  if (!ctx.empty())
    out += " " + caf::to_string(ctx);
  return out;
}

} // namespace

std::string describe(const caf::error& err) {
  if (!err)
    return "none";
  if (err.category() == caf::atom("mcp"))
    return render(err.code(), err.context());
  return caf::to_string(err);
}

void add_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(
      caf::atom("mcp"),
      [](uint8_t code, caf::atom_value, const caf::message& ctx) { return render(code, ctx); });
}

} // namespace cafmcp::mcp
