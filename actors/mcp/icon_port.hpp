#pragma once
// Where the node's icons go (checklist §1 Icons, SEP-973): the icon lists of
// the implementation, tools, resources, templates and prompts are checked by
// the icon cache's own rules (https: and data: sources only, a bounded list;
// services::validate_icons) when they are registered, and then kept in the
// node's icon_cache service under an owner key ("implementation",
// "tool:<name>", "resource:<uri>", "template:<uriTemplate>", "prompt:<name>"),
// where the admin endpoint and the dashboard read them.
//
// Registration refuses a bad icon at once with the reason (e.g. "icons[1]:
// icon src must be an https: or data: URI"); the cache update itself is a
// message to the service, found through its service_ref so a restarted cache
// is found again. While no incarnation runs (before the node starts, during a
// restart) the update goes straight into the cache's store, the table the
// service owns one level up, so nothing registered early is lost.

#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "cafmcp/actors/services/icon_store.hpp"
#include "cafmcp/actors/services/service_ref.hpp"
#include "cafmcp/protocol/icon.hpp"

namespace cafmcp::mcp {

class icon_port {
public:
  explicit icon_port(std::shared_ptr<services::service_ref> cache,
                     std::shared_ptr<services::icon_store> store = nullptr,
                     services::icon_limits limits = {})
      : cache_(std::move(cache)), store_(std::move(store)), limits_(limits) {}

  // The icon cache's verdict on a list: none, or invalid_definition naming
  // the failing index and why.
  static caf::error check(const std::vector<protocol::icon>& icons,
                          const services::icon_limits& limits = {});

  // Keeps `icons` under `owner` in the cache; an empty list forgets the owner.
  void put(const std::string& owner, const std::vector<protocol::icon>& icons) const;
  void forget(const std::string& owner) const;

private:
  std::shared_ptr<services::service_ref> cache_;
  std::shared_ptr<services::icon_store> store_;
  services::icon_limits limits_;
};

} // namespace cafmcp::mcp
