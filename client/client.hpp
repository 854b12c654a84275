// An MCP client session as a CAF actor, over any transport the node serves.
//
//   transports::io_runner io{1};  io.start();    // shared by every client
//   client_config cfg;  cfg.transport = client_transport::http;  cfg.port = 8080;
//   caf::actor c = spawn_client(sys, io, cfg);
//   self->request(c, 10s, connect_atom::value).then([](session_info& s) {...});
//   self->request(c, 10s, call_atom::value, call_spec{"tools/list", {}}).then(
//       [](call_reply& r) {...}, [](caf::error& e) { auto f = failure_of(e); ... });
//
// The actor holds no thread: the bytes move on the io_runner's threads, the
// protocol on CAF's. Dropping every handle (or close_atom) ends the session.
// The io_runner must outlive every client spawned on it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>

#include "cafmcp/client/client_config.hpp"
#include "cafmcp/client/client_error.hpp"
#include "cafmcp/client/client_messages.hpp"
#include "cafmcp/transports/io_runner.hpp"

namespace cafmcp::client {

caf::actor spawn_client(caf::actor_system& sys, transports::io_runner& io, client_config cfg);

// Non-blocking calls for code outside actors: the callback runs on the
// client actor's thread (keep it short; it may issue the next call).
void async_call(const caf::actor& client, call_spec spec, std::function<void(call_outcome)> done);

// For tests and simple tools: every call waits for its answer.
class blocking_client {
public:
  blocking_client(caf::actor_system& sys, transports::io_runner& io, client_config cfg);
  ~blocking_client();
  blocking_client(const blocking_client&) = delete;
  blocking_client& operator=(const blocking_client&) = delete;

  // connect + initialize (again, after session_expired or a lost connection).
  caf::expected<session_info> connect();
  call_outcome call(const std::string& method, nlohmann::json params = nlohmann::json::object(),
                    std::chrono::milliseconds timeout = std::chrono::milliseconds{0});
  void notify(const std::string& method, nlohmann::json params = nullptr);
  // Ends the session and waits until the actor is gone. Idempotent.
  void close();

  const caf::actor& handle() const noexcept { return client_; }

private:
  caf::actor_system& sys_;
  caf::scoped_actor self_;
  caf::actor client_;
  std::chrono::milliseconds wait_margin_;
  std::chrono::milliseconds request_timeout_;
  std::chrono::milliseconds connect_timeout_;
};

} // namespace cafmcp::client
