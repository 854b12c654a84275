#include "cafmcp/registry/registry_actor.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <utility>

#include <caf/actor_cast.hpp>
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

// Sent by the registry to itself at the end of its rebuild (see registry_actor()).
using reg_ready_atom = caf::atom_constant<caf::atom("reg_ready")>;

// Starts watching `server` for `id`: the first id of a server adds the (only) monitor.
void track(self_ptr self, const std::string& id, const caf::actor& server) {
  auto& ids = self->state.ids_by_server[server.address()];
  if (ids.empty())
    // High priority: the rebuild barrier relies on it (see registry_actor()).
    self->monitor<caf::message_priority::high>(server);
  ids.push_back(id);
}

// Stops watching `server` for `id`; its last id removes the monitor.
void untrack(self_ptr self, const std::string& id, const caf::actor& server) {
  auto it = self->state.ids_by_server.find(server.address());
  if (it == self->state.ids_by_server.end())
    return;
  auto& ids = it->second;
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  if (ids.empty()) {
    self->demonitor(server);
    self->state.ids_by_server.erase(it);
  }
}

// Takes over the routes of a previous incarnation: monitors every server in the table. Entries
// without a valid handle cannot be monitored (monitoring an invalid handle crashes CAF) and
// cannot be routed to, so they are dropped here.
void rebuild(self_ptr self) {
  auto& table = *self->state.table;
  for (auto& [id, entry] : table.snapshot()) {
    if (entry.server)
      track(self, id, entry.server);
    else
      table.erase_if_server(id, caf::actor_addr{});
  }
}

// -- the operations, shared by the serving and the rebuilding behavior --------------------------

caf::expected<caf::ok_atom> add_route(self_ptr self, std::string& id, caf::actor& server,
                                      std::size_t pool) {
  if (id.empty() || !server)
    return caf::make_error(registry_errc::invalid_argument, "empty id or invalid server");
  auto existing =
      self->state.table->try_insert(id, route{server, pool, std::chrono::system_clock::now()});
  if (!existing) {
    track(self, id, server);
    return caf::ok_atom::value;
  }
  // The same registration again (a retry after a registry restart) is not a clash.
  if (existing->server == server)
    return caf::ok_atom::value;
  return caf::make_error(registry_errc::already_registered, std::move(id));
}

caf::expected<caf::ok_atom> remove_route(self_ptr self, std::string& id) {
  auto removed = self->state.table->erase(id);
  if (!removed)
    return caf::make_error(registry_errc::not_found, std::move(id));
  untrack(self, id, removed->server);
  return caf::ok_atom::value;
}

caf::expected<caf::actor> find_route(self_ptr self, std::string& id) {
  if (auto found = self->state.table->find(id))
    return std::move(found->server);
  return caf::make_error(registry_errc::not_found, std::move(id));
}

std::size_t count_all(self_ptr self) {
  return self->state.table->size();
}

std::size_t count_pool(self_ptr self, std::size_t pool) {
  return self->state.table->count_in_pool(pool);
}

caf::behavior serving(self_ptr self) {
  return {
      [self](reg_add_atom, std::string& id, caf::actor& server, std::size_t pool)
          -> caf::result<caf::ok_atom> { return add_route(self, id, server, pool); },
      [self](reg_del_atom, std::string& id) -> caf::result<caf::ok_atom> {
        return remove_route(self, id);
      },
      [self](reg_find_atom, std::string& id) -> caf::result<caf::actor> {
        return find_route(self, id);
      },
      [self](reg_count_atom) { return count_all(self); },
      [self](reg_count_atom, std::size_t pool) { return count_pool(self, pool); },
  };
}

// Runs `op` once the rebuild is done and answers the current request with its result then.
template <class F>
caf::response_promise defer(self_ptr self, F op) {
  auto rp = self->make_response_promise();
  self->state.deferred.emplace_back([rp, op]() mutable { rp.deliver(op()); });
  return rp;
}

// Until the rebuild barrier passes: the same vocabulary, answered later. (caf::skip would be
// the obvious tool, but in CAF 0.17.6 a request that was skipped and handled after become()
// never gets its response to the requester: seen while writing this layer's tests, where the
// requester timed out.)
caf::behavior rebuilding(self_ptr self) {
  return {
      [self](reg_ready_atom) {
        if (auto& r = self->state.ref)
          r->publish(caf::actor_cast<caf::actor>(self));
        self->become(serving(self));
        auto deferred = std::move(self->state.deferred);
        self->state.deferred.clear();
        for (auto& answer : deferred)
          answer();
      },
      [self](reg_add_atom, std::string& id, caf::actor& server, std::size_t pool) {
        return defer(self, [=]() mutable { return add_route(self, id, server, pool); });
      },
      [self](reg_del_atom, std::string& id) {
        return defer(self, [=]() mutable { return remove_route(self, id); });
      },
      [self](reg_find_atom, std::string& id) {
        return defer(self, [=]() mutable { return find_route(self, id); });
      },
      [self](reg_count_atom) { return defer(self, [=] { return count_all(self); }); },
      [self](reg_count_atom, std::size_t pool) {
        return defer(self, [=] { return count_pool(self, pool); });
      },
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
  self->state.table = std::move(table);
  self->state.ref = std::move(ref);
  // A dead server takes all of its routes with it, whatever the exit reason. erase_if_server
  // keeps a newer registration of the same id by another server.
  self->set_down_handler([self](caf::down_msg& dm) {
    auto it = self->state.ids_by_server.find(dm.source);
    if (it == self->state.ids_by_server.end())
      return;
    for (auto& id : it->second)
      self->state.table->erase_if_server(id, dm.source);
    self->state.ids_by_server.erase(it);
  });
  if (auto& r = self->state.ref) {
    // Runs on any termination, kill included; the state is already gone then, so the functor
    // holds its own copies.
    self->attach_functor([r = r, addr = self->address()](const caf::error&) { r->withdraw(addr); });
  }
  rebuild(self);
  // The rebuild barrier. Monitoring a server that is already dead enqueues its down message at
  // once, into the high-priority queue. Our marker goes into that same queue after all of them,
  // so when it arrives every such down message has been handled. Priority alone would not do:
  // CAF interleaves its queues (a few high-priority messages per normal one), so a lookup queued
  // during the restart could still see a dead route; hence requests wait until the marker.
  self->send<caf::message_priority::high>(self, reg_ready_atom::value);
  return rebuilding(self);
}

} // namespace cafmcp::registry
