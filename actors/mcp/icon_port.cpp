#include "cafmcp/actors/mcp/icon_port.hpp"

#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/actors/services/icon_messages.hpp"

namespace cafmcp::mcp {

namespace {

std::string to_json_text(const std::vector<protocol::icon>& icons) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : icons)
    out.push_back(i);
  return out.dump();
}

} // namespace

caf::error icon_port::check(const std::vector<protocol::icon>& icons,
                            const services::icon_limits& limits) {
  if (icons.empty())
    return caf::none;
  auto valid = services::validate_icons(to_json_text(icons), limits);
  if (!valid) {
    // The cache's reason ("icons[1]: icon src must be an https: or data: URI").
    const auto& ctx = valid.error().context();
    auto why = ctx.match_elements<std::string>() ? ctx.get_as<std::string>(0)
                                                 : caf::to_string(valid.error());
    return caf::make_error(mcp_errc::invalid_definition, why);
  }
  return caf::none;
}

void icon_port::put(const std::string& owner, const std::vector<protocol::icon>& icons) const {
  if (icons.empty())
    return forget(owner);
  if (auto cache = cache_ ? cache_->get() : caf::actor{})
    caf::anon_send(cache, services::ic_put_atom::value, owner, to_json_text(icons));
  else if (store_)
    (void)store_->put(owner, to_json_text(icons), limits_);
}

void icon_port::forget(const std::string& owner) const {
  if (auto cache = cache_ ? cache_->get() : caf::actor{})
    caf::anon_send(cache, services::ic_del_atom::value, owner);
  else if (store_)
    (void)store_->erase(owner);
}

} // namespace cafmcp::mcp
