#pragma once
// A real peer for transport tests: a broker and per-session "echo" server
// actors that follow actors/mcp/session_protocol.hpp exactly (it is not a
// stub of the code under test, it is the other side of its contract).
//
// Requests the echo server understands (anything else echoes params):
//   initialize            -> {protocolVersion (as asked), capabilities, serverInfo}
//   echo                  -> params as result
//   progress              -> notifications/progress related to the request, then params
//   slow {ms, progress?}  -> (progress first if asked) result after ms
//   ask                   -> a server->client request "roots/list" related to the call;
//                            the client's response becomes {"answer": <its result>}
//   flood {n, size}       -> n related log notifications of size bytes, then the result
//   notify                -> an unrelated notifications/tools/list_changed, then {}
//   crash                 -> the server actor fails (sec::runtime_error)
//   bye                   -> the server ends the session (session_closed)

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace cafmcp::test {

/// What the peer saw, for assertions; thread-safe; waits on events.
class echo_world {
public:
  void record(std::string event);
  std::vector<std::string> events() const;
  std::size_t count(const std::string& event) const;
  bool wait_for(const std::function<bool()>& pred,
                std::chrono::milliseconds limit = std::chrono::seconds{10}) const;
  bool wait_count(const std::string& event, std::size_t n,
                  std::chrono::milliseconds limit = std::chrono::seconds{10}) const;

  void add_server(const std::string& session, caf::actor server);
  caf::actor server(const std::string& session) const;
  std::vector<caf::actor> servers() const;
  std::string last_session() const;

  /// Sessions refused by the broker from now on (at capacity).
  void set_capacity(std::size_t n);
  std::size_t capacity() const;

private:
  mutable std::mutex mtx_;
  mutable std::condition_variable cv_;
  std::vector<std::string> events_;
  std::map<std::string, caf::actor> servers_;
  std::string last_;
  std::size_t capacity_ = 1000000;
};

/// The broker: (session_open_atom, kind, sink) -> (server, session_id);
/// (session_find_atom, id) -> server. Records "open:<kind>", and the servers
/// record "close:<id>" on session_close and "in:<method>" per request.
caf::actor spawn_echo_broker(caf::actor_system& sys, std::shared_ptr<echo_world> world);

} // namespace cafmcp::test
