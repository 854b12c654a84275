#include "cafmcp/actors/mcp/feature_registry.hpp"

#include <algorithm>
#include <set>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "cafmcp/actors/mcp/mcp_error.hpp"
#include "cafmcp/protocol/meta_key.hpp"
#include "cafmcp/protocol/tool_name.hpp"

namespace cafmcp::mcp {

namespace {

caf::error invalid(std::string why) {
  return caf::make_error(mcp_errc::invalid_definition, std::move(why));
}

caf::error duplicate(std::string why) {
  return caf::make_error(mcp_errc::duplicate_definition, std::move(why));
}

// Removal reuses change(); "nothing to remove" abandons it without notifying.
caf::error not_there() {
  return caf::make_error(mcp_errc::invalid_definition, std::string{"not registered"});
}

// Binary search in a list sorted by key(element).
template <class List, class Key>
auto find_sorted(const List& list, std::string_view wanted, Key key) {
  auto it = std::lower_bound(list.begin(), list.end(), wanted,
                             [&](const auto& e, std::string_view k) { return key(e) < k; });
  if (it != list.end() && key(*it) == wanted)
    return it;
  return list.end();
}

// Inserts keeping the order; false when the key is taken.
template <class List, class Value, class Key>
bool insert_sorted(List& list, Value value, Key key) {
  std::string_view k = key(value);
  auto it = std::lower_bound(list.begin(), list.end(), k,
                             [&](const auto& e, std::string_view x) { return key(e) < x; });
  if (it != list.end() && key(*it) == k)
    return false;
  list.insert(it, std::move(value));
  return true;
}

template <class List, class Key>
bool erase_sorted(List& list, std::string_view wanted, Key key) {
  auto it = find_sorted(list, wanted, key);
  if (it == list.end())
    return false;
  list.erase(it);
  return true;
}

const auto tool_key = [](const auto& e) -> std::string_view { return e->def.name; };
const auto resource_key = [](const auto& e) -> std::string_view { return e->uri; };
const auto template_key = [](const auto& e) -> std::string_view { return e->def.uri_template; };
const auto prompt_key = [](const auto& e) -> std::string_view { return e->name; };

caf::error check_json_object_or_null(const nlohmann::json& j, const std::string& what) {
  if (!j.is_null() && !j.is_object())
    return invalid(what + " must be a JSON object");
  return caf::none;
}

caf::error check_meta(const nlohmann::json& meta) {
  if (auto err = check_json_object_or_null(meta, "_meta"))
    return err;
  if (meta.is_object())
    for (const auto& [key, value] : meta.items())
      if (auto parsed = protocol::parse_meta_key(key); !parsed)
        return invalid("_meta key '" + key + "': " + parsed.error());
  return caf::none;
}

// What every listed object may carry: annotations (an object), _meta (valid
// keys) and icons (the icon cache's own rules, so that nothing it would refuse
// gets listed).
caf::error check_listed(const nlohmann::json& annotations, const nlohmann::json& meta,
                        const std::vector<protocol::icon>& icons) {
  if (auto err = check_json_object_or_null(annotations, "annotations"))
    return err;
  if (auto err = check_meta(meta))
    return err;
  return icon_port::check(icons);
}

} // namespace

// -- snapshot lookups ---------------------------------------------------------

std::shared_ptr<const tool_entry> feature_snapshot::find_tool(std::string_view name) const {
  auto it = find_sorted(tools, name, tool_key);
  return it == tools.end() ? nullptr : *it;
}

std::shared_ptr<const resource_definition>
feature_snapshot::find_resource(std::string_view uri) const {
  auto it = find_sorted(resources, uri, resource_key);
  return it == resources.end() ? nullptr : *it;
}

std::shared_ptr<const template_entry>
feature_snapshot::find_template(std::string_view uri_template) const {
  auto it = find_sorted(templates, uri_template, template_key);
  return it == templates.end() ? nullptr : *it;
}

std::shared_ptr<const template_entry>
feature_snapshot::match_template(std::string_view uri, uri_template::variables& vars) const {
  for (const auto& t : templates)
    if (t->tmpl.match(uri, vars))
      return t;
  return nullptr;
}

std::shared_ptr<const prompt_definition>
feature_snapshot::find_prompt(std::string_view name) const {
  auto it = find_sorted(prompts, name, prompt_key);
  return it == prompts.end() ? nullptr : *it;
}

const complete_fn* feature_snapshot::find_completion(const completion_ref& ref) const {
  auto it = std::lower_bound(completions.begin(), completions.end(), ref,
                             [](const auto& e, const completion_ref& r) { return e.first < r; });
  if (it != completions.end() && it->first == ref)
    return &it->second;
  return nullptr;
}

// -- registry -------------------------------------------------------------------

feature_registry::feature_registry() : current_(std::make_shared<feature_snapshot>()) {}

template <class Modify>
caf::expected<void> feature_registry::change(uint8_t kinds, Modify modify) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto next = std::make_shared<feature_snapshot>(*current_);
    if (caf::error err = modify(*next))
      return err;
    next->declared |= kinds;
    next->revision = current_->revision + 1;
    current_ = std::move(next);
  }
  notify(kinds);
  return caf::unit;
}

void feature_registry::notify(uint8_t kinds) {
  std::vector<caf::actor> targets;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (auto strong = it->second.lock()) {
        targets.push_back(caf::actor_cast<caf::actor>(std::move(strong)));
        ++it;
      } else {
        it = sessions_.erase(it);
      }
    }
  }
  // Outside the lock: a send may run arbitrary allocation and we never want
  // registration to wait on mailboxes.
  for (auto& s : targets)
    caf::anon_send(s, features_changed_atom::value, kinds);
}

std::shared_ptr<const icon_port> feature_registry::icons() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return icons_;
}

template <class Entry, class Key>
caf::expected<void>
feature_registry::insert(feature_kind kind,
                         std::vector<std::shared_ptr<const Entry>> feature_snapshot::*list,
                         std::shared_ptr<const Entry> entry, Key key, std::string owner,
                         const std::vector<protocol::icon>& icons, std::string taken) {
  auto ok = change(bit(kind), [&](feature_snapshot& s) -> caf::error {
    if (!insert_sorted(s.*list, entry, key))
      return duplicate(std::move(taken));
    return caf::none;
  });
  if (ok && !icons.empty())
    if (auto port = this->icons())
      port->put(owner, icons);
  return ok;
}

template <class Entry, class Key>
bool feature_registry::erase(feature_kind kind,
                             std::vector<std::shared_ptr<const Entry>> feature_snapshot::*list,
                             std::string_view wanted, Key key, std::string owner) {
  auto ok = change(bit(kind), [&](feature_snapshot& s) {
    return erase_sorted(s.*list, wanted, key) ? caf::error{} : not_there();
  });
  if (ok)
    if (auto port = this->icons())
      port->forget(owner);
  return static_cast<bool>(ok);
}

caf::expected<void> feature_registry::add_tool(tool_definition def) {
  if (auto ok = protocol::check_tool_name(def.name); !ok)
    return invalid("tool name '" + def.name + "': " + ok.error());
  if (static_cast<bool>(def.handler) == static_cast<bool>(def.async_handler))
    return invalid("tool '" + def.name + "' needs exactly one of handler and async_handler");
  if (auto err = check_listed(def.annotations, def.meta, def.icons))
    return err;
  auto input = protocol::compile_tool_schema(def.input_schema);
  if (!input)
    return invalid("tool '" + def.name + "' inputSchema at '" + input.error().path +
                   "': " + input.error().message);
  std::optional<protocol::json_schema> output;
  if (def.output_schema) {
    auto compiled = protocol::compile_tool_schema(*def.output_schema);
    if (!compiled)
      return invalid("tool '" + def.name + "' outputSchema at '" + compiled.error().path +
                     "': " + compiled.error().message);
    output = std::move(*compiled);
  }
  if (!def.mode)
    def.mode = def.handler ? execution::blocking : execution::cooperative;
  auto entry =
      std::make_shared<const tool_entry>(tool_entry{std::move(def), std::move(*input), output});
  const auto& name = entry->def.name;
  return insert(feature_kind::tools, &feature_snapshot::tools, entry, tool_key, "tool:" + name,
                entry->def.icons, "a tool named '" + name + "' exists");
}

caf::expected<void> feature_registry::add_resource(resource_definition def) {
  if (!is_absolute_uri(def.uri))
    return invalid("resource uri '" + def.uri + "' is not an absolute URI");
  if (def.name.empty())
    return invalid("resource '" + def.uri + "' needs a name");
  if (!def.read)
    return invalid("resource '" + def.uri + "' needs a read handler");
  if (auto err = check_listed(def.annotations, def.meta, def.icons))
    return err;
  auto entry = std::make_shared<const resource_definition>(std::move(def));
  return insert(feature_kind::resources, &feature_snapshot::resources, entry, resource_key,
                "resource:" + entry->uri, entry->icons,
                "a resource with uri '" + entry->uri + "' exists");
}

caf::expected<void> feature_registry::add_resource_template(resource_template_definition def) {
  auto tmpl = uri_template::parse(def.uri_template);
  if (!tmpl)
    return invalid("uriTemplate '" + def.uri_template + "': " + tmpl.error());
  if (def.name.empty())
    return invalid("resource template '" + def.uri_template + "' needs a name");
  if (!def.read)
    return invalid("resource template '" + def.uri_template + "' needs a read handler");
  if (auto err = check_listed(def.annotations, def.meta, def.icons))
    return err;
  auto entry =
      std::make_shared<const template_entry>(template_entry{std::move(def), std::move(*tmpl)});
  const auto& text = entry->def.uri_template;
  return insert(feature_kind::resources, &feature_snapshot::templates, entry, template_key,
                "template:" + text, entry->def.icons, "a resource template '" + text + "' exists");
}

caf::expected<void> feature_registry::add_prompt(prompt_definition def) {
  if (def.name.empty())
    return invalid("a prompt needs a name");
  if (!def.get)
    return invalid("prompt '" + def.name + "' needs a get handler");
  std::set<std::string> seen;
  for (const auto& a : def.arguments)
    if (a.name.empty() || !seen.insert(a.name).second)
      return invalid("prompt '" + def.name + "' has an empty or repeated argument name");
  if (auto err = check_listed(nullptr, def.meta, def.icons))
    return err;
  auto entry = std::make_shared<const prompt_definition>(std::move(def));
  return insert(feature_kind::prompts, &feature_snapshot::prompts, entry, prompt_key,
                "prompt:" + entry->name, entry->icons,
                "a prompt named '" + entry->name + "' exists");
}

caf::expected<void> feature_registry::add_completion(completion_ref ref, complete_fn fn) {
  if (ref.name.empty() || !fn)
    return invalid("a completion provider needs a ref name and a function");
  return change(bit(feature_kind::completions), [&](feature_snapshot& s) -> caf::error {
    auto it = std::lower_bound(s.completions.begin(), s.completions.end(), ref,
                               [](const auto& e, const completion_ref& r) { return e.first < r; });
    if (it != s.completions.end() && it->first == ref)
      it->second = std::move(fn);
    else
      s.completions.emplace(it, std::move(ref), std::move(fn));
    return caf::none;
  });
}

bool feature_registry::remove_tool(std::string_view name) {
  return erase(feature_kind::tools, &feature_snapshot::tools, name, tool_key,
               "tool:" + std::string{name});
}

bool feature_registry::remove_resource(std::string_view uri) {
  return erase(feature_kind::resources, &feature_snapshot::resources, uri, resource_key,
               "resource:" + std::string{uri});
}

bool feature_registry::remove_resource_template(std::string_view uri_template) {
  return erase(feature_kind::resources, &feature_snapshot::templates, uri_template, template_key,
               "template:" + std::string{uri_template});
}

bool feature_registry::remove_prompt(std::string_view name) {
  return erase(feature_kind::prompts, &feature_snapshot::prompts, name, prompt_key,
               "prompt:" + std::string{name});
}

bool feature_registry::remove_completion(const completion_ref& ref) {
  return static_cast<bool>(change(bit(feature_kind::completions), [&](feature_snapshot& s) {
    auto it = std::find_if(s.completions.begin(), s.completions.end(),
                           [&](const auto& e) { return e.first == ref; });
    if (it == s.completions.end())
      return not_there();
    s.completions.erase(it);
    return caf::error{};
  }));
}

void feature_registry::use_icon_cache(std::shared_ptr<const icon_port> port) {
  std::shared_ptr<const feature_snapshot> current;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    icons_ = port;
    current = current_;
  }
  if (!port)
    return;
  auto put = [&port](const std::string& owner, const std::vector<protocol::icon>& icons) {
    if (!icons.empty())
      port->put(owner, icons);
  };
  for (const auto& t : current->tools)
    put("tool:" + t->def.name, t->def.icons);
  for (const auto& r : current->resources)
    put("resource:" + r->uri, r->icons);
  for (const auto& t : current->templates)
    put("template:" + t->def.uri_template, t->def.icons);
  for (const auto& p : current->prompts)
    put("prompt:" + p->name, p->icons);
}

void feature_registry::declare(feature_kind kind) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (current_->declares(kind))
    return;
  auto next = std::make_shared<feature_snapshot>(*current_);
  next->declared |= bit(kind);
  next->revision = current_->revision + 1;
  current_ = std::move(next);
}

std::shared_ptr<const feature_snapshot> feature_registry::snapshot() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return current_;
}

void feature_registry::attach(const caf::actor& session) {
  if (!session)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_[session.id()] = caf::actor_cast<caf::weak_actor_ptr>(session);
}

void feature_registry::detach(caf::actor_id session) {
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_.erase(session);
}

std::size_t feature_registry::attached() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return sessions_.size();
}

} // namespace cafmcp::mcp
