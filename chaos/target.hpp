#pragma once
// What the chaos runner needs of the system under test: where to send load,
// how to kill a victim, and how to see the victim's way back. A node embedded
// in the runner's process implements it (app/chaos), and so does a node in
// another process driven through its admin endpoint.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>

#include "cafmcp/chaos/domain.hpp"
#include "cafmcp/chaos/load.hpp"
#include "cafmcp/chaos/tree_events.hpp"

namespace cafmcp::chaos {

class target {
public:
  virtual ~target() = default;

  virtual std::string describe() const = 0;
  virtual std::size_t num_pools() const = 0;
  virtual std::vector<endpoint> endpoints() const = 0;
  // The pool serving a session, when the target can tell.
  virtual std::optional<std::size_t> pool_of(const std::string& session_id) const = 0;

  // Kills the victim ("session:<id>" for a server) and returns at once.
  virtual caf::error kill(const victim& v) = 0;

  // The victim's way back, each awaited until `deadline`; nullopt when it did
  // not happen in time (or cannot be seen from here).
  //   running:    its replacement runs (its supervisor reported it started)
  //   registered: others can find the replacement again (registry route,
  //               service reference, the node's listeners)
  //   serving:    a request through the replacement succeeded
  virtual std::optional<steady::time_point> await_running(const victim& v, steady::time_point since,
                                                          steady::time_point deadline) = 0;
  virtual std::optional<steady::time_point>
  await_registered(const victim& v, steady::time_point since, steady::time_point deadline) = 0;
  virtual std::optional<steady::time_point> await_serving(const victim& v, steady::time_point since,
                                                          steady::time_point deadline) = 0;

  // Restarts and escalations the target's supervisors reported.
  virtual const tree_events& events() const = 0;

  // Acknowledged state written through the services (a finished task, a
  // subscription, SSE events) and read back later: what cannot be read back
  // is lost data. `tag` names the batch.
  // False when the target cannot read the services' state (a node in another
  // process): the lost-data check is then reported as not done.
  virtual bool checks_durability() const { return true; }
  virtual caf::error write_durable(const std::string& tag) = 0;
  virtual std::vector<std::string> check_durable() = 0;
};

// "http 127.0.0.1:8080/mcp" (a node's listener line) -> an endpoint; nullopt
// for listeners the load does not use (admin, stdio).
std::optional<endpoint> endpoint_from_listener(std::string_view line);

} // namespace cafmcp::chaos
