#pragma once
// The children a supervisor owns. It is shared with a functor attached to the
// supervisor, so that the children can still be stopped when the supervisor
// dies abruptly (CAF destroys an actor's state before its attached functors run).

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/message.hpp>

#include "cafmcp/actors/supervision/child_spec.hpp"
#include "cafmcp/actors/supervision/supervisor_messages.hpp"

namespace cafmcp::supervision::detail {

struct static_child {
  child_spec spec;
  caf::actor pid; // valid while status == running
  child_status status = child_status::undefined;
};

struct dynamic_child {
  caf::actor pid;
  caf::message args; // kept only for children that may be restarted
  child_status status = child_status::running;
};

struct child_table {
  std::vector<static_child> statics; // in start order
  std::unordered_map<caf::actor_id, dynamic_child> dynamics;

  std::optional<size_t> index_of(const std::string& id) const {
    for (size_t i = 0; i < statics.size(); ++i)
      if (statics[i].spec.id == id)
        return i;
    return std::nullopt;
  }

  std::optional<size_t> index_of_pid(caf::actor_id id) const {
    for (size_t i = 0; i < statics.size(); ++i)
      if (statics[i].pid && statics[i].pid.id() == id)
        return i;
    return std::nullopt;
  }

  template <class F>
  void for_each_running(F&& f) const {
    for (auto& c : statics)
      if (c.status == child_status::running && c.pid)
        f(c.pid);
    for (auto& kv : dynamics)
      if (kv.second.status == child_status::running && kv.second.pid)
        f(kv.second.pid);
  }
};

} // namespace cafmcp::supervision::detail
