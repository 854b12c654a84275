// The answer slot of one server->client request (sampling/createMessage,
// elicitation/create, roots/list). A handler may answer at once or later,
// from any thread: the answer goes to the client actor, which sends it.
// Answering twice sends nothing the second time.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <caf/actor.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/protocol/message_id.hpp"

namespace cafmcp::client {

class responder {
public:
  responder(caf::actor client, std::uint32_t epoch, protocol::message_id id);

  void result(nlohmann::json value) const;
  void error(int code, std::string message, nlohmann::json data = nullptr) const;

  const protocol::message_id& id() const noexcept { return id_; }

private:
  void deliver(std::string text) const;

  caf::actor client_;
  std::uint32_t epoch_;
  protocol::message_id id_;
  std::shared_ptr<std::atomic<bool>> answered_ = std::make_shared<std::atomic<bool>>(false);
};

} // namespace cafmcp::client
