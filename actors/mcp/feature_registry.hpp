#pragma once
// The tools, resources, resource templates, prompts and completion providers
// shared by every session of a node (checklist §4; the embedding API).
//
// Thread-safe, not actor-owned, on purpose: every request of every session
// reads it, and an owning actor would turn each tools/list or tools/call into
// a round trip through one mailbox (one queue for 100,000 sessions, and one
// more failure domain), while writes are rare. Readers take an immutable
// snapshot (one shared_ptr copy under a mutex): a session pages through a
// consistent list, and a running handler keeps its definition alive even if
// it is removed meanwhile. Writers copy the snapshot, change the copy and
// publish it (copy-on-write; O(n) per change, fine for registration rates).
//
// Add and remove at runtime notify every attached session with
// (features_changed_atom, uint8_t kinds) where kinds is a bitmask of
// feature_kind; the session sends the matching notifications/*/list_changed
// when its client negotiated that capability.
//
// Capabilities are sticky: once a kind has been registered (or declare()d) it
// stays declared even if its last entry is removed, so sessions that
// initialized meanwhile never see a capability disappear. Call declare()
// before the first session when tools or prompts will only appear later.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>
#include <caf/weak_intrusive_ptr.hpp>

#include "cafmcp/actors/mcp/completion_provider.hpp"
#include "cafmcp/actors/mcp/icon_port.hpp"
#include "cafmcp/actors/mcp/prompt.hpp"
#include "cafmcp/actors/mcp/resource.hpp"
#include "cafmcp/actors/mcp/tool.hpp"
#include "cafmcp/actors/mcp/uri_template.hpp"
#include "cafmcp/protocol/json_schema.hpp"

namespace cafmcp::mcp {

// Sent to sessions: (features_changed_atom, uint8_t feature_kind bitmask).
using features_changed_atom = caf::atom_constant<caf::atom("mcp_chg")>;

enum class feature_kind : uint8_t {
  tools = 1,
  resources = 2, // resources and resource templates
  prompts = 4,
  completions = 8,
};

constexpr uint8_t bit(feature_kind k) noexcept {
  return static_cast<uint8_t>(k);
}

struct tool_entry {
  tool_definition def;
  protocol::json_schema input;
  std::optional<protocol::json_schema> output;
};

struct template_entry {
  resource_template_definition def;
  uri_template tmpl;
};

// One immutable state of the registry. Lists are sorted by their key (tool
// and prompt names, resource URIs, template strings), which is what the
// protocol's cursors page by.
struct feature_snapshot {
  std::vector<std::shared_ptr<const tool_entry>> tools;
  std::vector<std::shared_ptr<const resource_definition>> resources;
  std::vector<std::shared_ptr<const template_entry>> templates;
  std::vector<std::shared_ptr<const prompt_definition>> prompts;
  std::vector<std::pair<completion_ref, complete_fn>> completions; // sorted by ref
  uint8_t declared = 0;                                            // feature_kind bits
  uint64_t revision = 0;

  bool declares(feature_kind k) const noexcept { return (declared & bit(k)) != 0; }

  std::shared_ptr<const tool_entry> find_tool(std::string_view name) const;
  std::shared_ptr<const resource_definition> find_resource(std::string_view uri) const;
  std::shared_ptr<const template_entry> find_template(std::string_view uri_template) const;
  // The first template (in list order) matching `uri`, with its variables.
  std::shared_ptr<const template_entry> match_template(std::string_view uri,
                                                       uri_template::variables& vars) const;
  std::shared_ptr<const prompt_definition> find_prompt(std::string_view name) const;
  const complete_fn* find_completion(const completion_ref& ref) const;
};

class feature_registry {
public:
  feature_registry();
  feature_registry(const feature_registry&) = delete;
  feature_registry& operator=(const feature_registry&) = delete;

  // Each add refuses (mcp_errc::invalid_definition / duplicate_definition,
  // the context says why) rather than publish something clients can't use.
  caf::expected<void> add_tool(tool_definition def);
  caf::expected<void> add_resource(resource_definition def);
  caf::expected<void> add_resource_template(resource_template_definition def);
  caf::expected<void> add_prompt(prompt_definition def);
  // A provider for a prompt's or template's arguments; the prompt or template
  // need not exist yet. Replaces an earlier provider for the same ref.
  caf::expected<void> add_completion(completion_ref ref, complete_fn fn);

  // False when nothing had that key.
  bool remove_tool(std::string_view name);
  bool remove_resource(std::string_view uri);
  bool remove_resource_template(std::string_view uri_template);
  bool remove_prompt(std::string_view name);
  bool remove_completion(const completion_ref& ref);

  // From now on, registered icon lists are kept in the node's icon cache
  // (icon_port.hpp), starting with those registered so far; removals forget
  // them there. Without a port icons are still checked by the cache's rules.
  void use_icon_cache(std::shared_ptr<const icon_port> port);

  // Declares a capability without registering anything (sticky).
  void declare(feature_kind kind);

  std::shared_ptr<const feature_snapshot> snapshot() const;

  // Sessions register to hear about changes. Held weakly: a session that
  // dies without detaching is pruned at the next change.
  void attach(const caf::actor& session);
  void detach(caf::actor_id session);
  std::size_t attached() const;

private:
  // Copy, modify, publish under one lock (so concurrent writers never lose
  // each other's changes), then tell the sessions that `kinds` changed.
  // `modify` returns an error to abandon the change, or caf::none.
  template <class Modify>
  caf::expected<void> change(uint8_t kinds, Modify modify);
  void notify(uint8_t kinds);
  // The add and remove halves every sorted list shares: publish `entry` under
  // key(entry) (a taken key is refused with `taken`) or drop `key`, and keep
  // the icon cache in step under `owner`.
  template <class Entry, class Key>
  caf::expected<void> insert(feature_kind kind,
                             std::vector<std::shared_ptr<const Entry>> feature_snapshot::*list,
                             std::shared_ptr<const Entry> entry, Key key, std::string owner,
                             const std::vector<protocol::icon>& icons, std::string taken);
  template <class Entry, class Key>
  bool erase(feature_kind kind, std::vector<std::shared_ptr<const Entry>> feature_snapshot::*list,
             std::string_view wanted, Key key, std::string owner);
  std::shared_ptr<const icon_port> icons() const;

  mutable std::mutex mtx_;
  std::shared_ptr<const feature_snapshot> current_;
  std::unordered_map<caf::actor_id, caf::weak_actor_ptr> sessions_;
  std::shared_ptr<const icon_port> icons_;
};

} // namespace cafmcp::mcp
