#include "cafmcp/actors/services/icon_store.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/protocol/icon.hpp"

namespace cafmcp::services {

caf::expected<std::string> validate_icons(const std::string& icons_json,
                                          const icon_limits& limits) {
  auto parsed = nlohmann::json::parse(icons_json, nullptr, false);
  if (parsed.is_discarded())
    return caf::make_error(svc_errc::invalid_icon, "icons are not valid JSON");
  if (parsed.is_array() && parsed.size() > limits.max_icons_per_list)
    return caf::make_error(svc_errc::invalid_icon,
                           "more than " + std::to_string(limits.max_icons_per_list) + " icons");
  auto icons = protocol::parse_icons(parsed);
  if (!icons)
    return caf::make_error(svc_errc::invalid_icon, icons.error());
  // Normalized: only the members MCP defines, in one order, whatever the input carried.
  nlohmann::json out = nlohmann::json::array();
  for (auto& i : *icons)
    out.push_back(i);
  return out.dump();
}

caf::expected<std::string> icon_store::put(const std::string& owner, const std::string& icons_json,
                                           const icon_limits& limits) {
  if (owner.empty())
    return caf::make_error(svc_errc::invalid_argument, "icons without an owner key");
  auto valid = validate_icons(icons_json, limits);
  std::lock_guard<std::mutex> guard{mtx_};
  if (!valid) {
    ++stats_.rejected;
    return valid;
  }
  if (valid->size() > limits.max_bytes) {
    ++stats_.rejected;
    return caf::make_error(svc_errc::at_capacity, "icon list larger than the whole cache");
  }
  if (auto it = by_owner_.find(owner); it != by_owner_.end()) {
    stats_.bytes -= it->second->json.size();
    lru_.erase(it->second);
    by_owner_.erase(it);
  }
  lru_.push_front(entry{owner, *valid});
  by_owner_[owner] = lru_.begin();
  stats_.bytes += valid->size();
  while (lru_.size() > std::max<std::size_t>(limits.max_entries, 1) ||
         stats_.bytes > limits.max_bytes) {
    auto& oldest = lru_.back();
    stats_.bytes -= oldest.json.size();
    by_owner_.erase(oldest.owner);
    lru_.pop_back();
    ++stats_.evicted;
  }
  stats_.entries = lru_.size();
  return valid;
}

caf::expected<std::string> icon_store::get(const std::string& owner) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end()) {
    ++stats_.misses;
    return caf::make_error(svc_errc::not_found, owner);
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++stats_.hits;
  return it->second->json;
}

caf::error icon_store::erase(const std::string& owner) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end())
    return caf::make_error(svc_errc::not_found, owner);
  stats_.bytes -= it->second->json.size();
  lru_.erase(it->second);
  by_owner_.erase(it);
  stats_.entries = lru_.size();
  return {};
}

void icon_store::count_rejected() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++stats_.rejected;
}

icon_stats icon_store::stats() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return stats_;
}

} // namespace cafmcp::services
