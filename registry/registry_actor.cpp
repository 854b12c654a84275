#include "cafmcp/registry/registry_actor.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <utility>

#include <caf/abstract_actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/attachable.hpp>
#include <caf/default_attachable.hpp>
#include <caf/expected.hpp>
#include <caf/message_priority.hpp>
#include <caf/response_promise.hpp>
#include <caf/result.hpp>
#include <caf/system_messages.hpp>

#include "cafmcp/registry/registry_atoms.hpp"
#include "cafmcp/registry/registry_error.hpp"

namespace cafmcp::registry {

namespace {

using self_ptr = caf::stateful_actor<registry_state>*;

// Sent by the registry to itself: the next rebuild step, and a lookup's marker (see below).
using reg_chunk_atom = caf::atom_constant<caf::atom("reg_chunk")>;
using reg_check_atom = caf::atom_constant<caf::atom("reg_check")>;

// CAF 0.17 leaves a dead actor's monitors attached to the actors it watched (each holding a weak
// reference to the dead watcher) until those die. Every registry restart would add one per
// long-lived server, so the successor removes its predecessor's as it takes over.
void drop_stale_monitor(const caf::actor& server, const caf::actor_addr& previous) {
  caf::default_attachable::observe_token token{previous, caf::default_attachable::monitor};
  caf::actor_cast<caf::abstract_actor*>(server)->detach(
      caf::attachable::token{caf::attachable::token::observer, &token});
}

// Makes this incarnation the watcher of `server` unless it already is. Returns true when it
// monitored the server just now (so its down message, if it is dead, is queued from now on).
bool watch(self_ptr self, caf::actor_id server) {
  auto handover = self->state.table->take_watch(server, self->state.me);
  if (!handover)
    return false;
  if (handover->previous)
    drop_stale_monitor(handover->server, handover->previous);
  // High priority: the markers rely on it (see lookup()).
  self->monitor<caf::message_priority::high>(handover->server);
  return true;
}

// -- the rebuild ----------------------------------------------------------------------------------

// One step: monitors the next (at most) `rebuild_chunk` servers of the index, then sends the next
// step message with high priority. Monitoring a dead server queues its down message at once, into
// the high-priority queue, so the next step message arrives after every down message of this
// step: from then on, this step's servers are verified. A server added to a part after the step
// took that part was added by this incarnation, which monitored it then.
void rebuild_step(self_ptr self) {
  auto& st = self->state;
  st.unverified.clear();
  while (st.rebuilt == st.part_servers.size() && st.parts_taken < registry_table::index_parts) {
    auto part = (st.first_part + st.parts_taken++) % registry_table::index_parts;
    // The parts before this one are done: a successor starts here.
    st.table->set_rebuild_cursor(part);
    st.part_servers = st.table->servers_in(part);
    st.rebuilt = 0;
  }
  if (st.rebuilt == st.part_servers.size()) {
    st.rebuilding = false;
    std::vector<caf::actor_id>{}.swap(st.part_servers);
    std::vector<caf::actor_id>{}.swap(st.unverified);
    return;
  }
  auto end = std::min(st.part_servers.size(), st.rebuilt + rebuild_chunk);
  for (; st.rebuilt < end; ++st.rebuilt) {
    auto server = st.part_servers[st.rebuilt];
    if (watch(self, server))
      st.unverified.push_back(server);
  }
  std::sort(st.unverified.begin(), st.unverified.end());
  self->send<caf::message_priority::high>(self, reg_chunk_atom::value);
}

// -- the operations -------------------------------------------------------------------------------

caf::expected<caf::ok_atom> add_route(self_ptr self, std::string& id, caf::actor& server,
                                      std::size_t pool) {
  if (id.empty() || !server)
    return caf::make_error(registry_errc::invalid_argument, "empty id or invalid server");
  auto existing =
      self->state.table->try_insert(id, route{server, pool, std::chrono::system_clock::now()});
  if (!existing) {
    watch(self, server.id());
    return caf::ok_atom::value;
  }
  // The same registration again (a retry after a registry restart) is not a clash.
  if (existing->server == server)
    return caf::ok_atom::value;
  return caf::make_error(registry_errc::already_registered, std::move(id));
}

caf::expected<caf::ok_atom> remove_route(self_ptr self, std::string& id) {
  caf::actor_addr watcher;
  auto removed = self->state.table->erase(id, &watcher);
  if (!removed)
    return caf::make_error(registry_errc::not_found, std::move(id));
  // The last route of a server takes its monitor with it: ours, or the one a predecessor left
  // when the rebuild has not reached the server yet.
  if (watcher == self->state.me)
    self->demonitor(removed->server);
  else if (watcher)
    drop_stale_monitor(removed->server, watcher);
  return caf::ok_atom::value;
}

caf::expected<caf::actor> find_route(self_ptr self, std::string& id) {
  if (auto found = self->state.table->find(id); found && found->server)
    return std::move(found->server);
  return caf::make_error(registry_errc::not_found, std::move(id));
}

// A lookup. After the rebuild (the common case) it is a plain table read. During the rebuild, a
// server that this incarnation has not verified yet may have died while no registry watched it:
// the lookup then monitors it (or finds it in the last step), and answers behind a marker sent
// with high priority, which arrives after the server's down message if there is one, so the
// answer never names a server that was dead before the lookup. Markers and waiting lookups pair
// up in order (one marker per waiting lookup, both FIFO).
caf::result<caf::actor> lookup(self_ptr self, std::string& id) {
  auto& st = self->state;
  if (!st.rebuilding)
    return find_route(self, id);
  auto found = st.table->find(id);
  if (!found || !found->server)
    return caf::make_error(registry_errc::not_found, std::move(id));
  auto server = found->server.id();
  bool just_watched = watch(self, server);
  if (!just_watched && !std::binary_search(st.unverified.begin(), st.unverified.end(), server))
    return std::move(found->server);
  auto rp = self->make_response_promise();
  st.checks.emplace_back(
      [self, rp, id = std::move(id)]() mutable { rp.deliver(find_route(self, id)); });
  self->send<caf::message_priority::high>(self, reg_check_atom::value);
  return rp;
}

void answer_next_check(self_ptr self) {
  auto& checks = self->state.checks;
  if (checks.empty())
    return;
  auto answer = std::move(checks.front());
  checks.pop_front();
  answer();
}

caf::behavior serving(self_ptr self) {
  return {
      [self](reg_add_atom, std::string& id, caf::actor& server, std::size_t pool)
          -> caf::result<caf::ok_atom> { return add_route(self, id, server, pool); },
      [self](reg_del_atom, std::string& id) -> caf::result<caf::ok_atom> {
        return remove_route(self, id);
      },
      [self](reg_find_atom, std::string& id) { return lookup(self, id); },
      [self](reg_count_atom) { return self->state.table->size(); },
      [self](reg_count_atom, std::size_t pool) { return self->state.table->count_in_pool(pool); },
      [self](reg_chunk_atom) { rebuild_step(self); },
      [self](reg_check_atom) { answer_next_check(self); },
  };
}

} // namespace

caf::behavior registry_actor(self_ptr self, std::shared_ptr<registry_table> table,
                             std::shared_ptr<registry_ref> ref) {
  if (!table) {
    self->quit(
        caf::make_error(registry_errc::invalid_argument, "registry started without a table"));
    return {};
  }
  auto& st = self->state;
  st.table = std::move(table);
  st.ref = std::move(ref);
  st.me = self->address();
  // A dead server takes all of its routes with it, whatever the exit reason. erase_server keeps
  // a newer registration of the same id by another server.
  self->set_down_handler([self](caf::down_msg& dm) { self->state.table->erase_server(dm.source); });
  if (auto& r = st.ref) {
    // Runs on any termination, kill included; the state is already gone then, so the functor
    // holds its own copies.
    self->attach_functor([r = r, addr = st.me](const caf::error&) { r->withdraw(addr); });
  }
  // Take over the previous incarnation's servers step by step, serving in between.
  st.first_part = st.table->rebuild_cursor();
  self->send<caf::message_priority::high>(self, reg_chunk_atom::value);
  if (auto& r = st.ref)
    r->publish(caf::actor_cast<caf::actor>(self));
  return serving(self);
}

} // namespace cafmcp::registry
