// wire_sink and responder: the two ways other threads reach a client actor.
#include "cafmcp/client/detail/wire.hpp"
#include "cafmcp/client/detail/wire_atoms.hpp"
#include "cafmcp/client/responder.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "cafmcp/protocol/jsonrpc_codec.hpp"

namespace cafmcp::client {

namespace detail {

namespace {

caf::actor lock(const caf::actor_addr& addr) {
  return caf::actor_cast<caf::actor>(addr);
}

} // namespace

void wire_sink::message(std::string text) const {
  if (auto a = lock(client_))
    caf::anon_send(a, wire_msg_atom::value, epoch_, std::move(text));
}

void wire_sink::failure(std::int64_t tag, client_errc kind, std::string detail,
                        int http_status) const {
  if (auto a = lock(client_))
    caf::anon_send(a, wire_fail_atom::value, epoch_, tag, static_cast<std::uint8_t>(kind),
                   std::move(detail), static_cast<std::int32_t>(http_status));
}

void wire_sink::down(client_errc kind, std::string detail) const {
  if (auto a = lock(client_))
    caf::anon_send(a, wire_down_atom::value, epoch_, static_cast<std::uint8_t>(kind),
                   std::move(detail));
}

void wire_sink::session(std::string id) const {
  if (auto a = lock(client_))
    caf::anon_send(a, wire_sid_atom::value, epoch_, std::move(id));
}

} // namespace detail

responder::responder(caf::actor client, std::uint32_t epoch, protocol::message_id id)
    : client_(std::move(client)), epoch_(epoch), id_(std::move(id)) {}

void responder::result(nlohmann::json value) const {
  deliver(protocol::encode(protocol::response{id_, std::move(value)}));
}

void responder::error(int code, std::string message, nlohmann::json data) const {
  protocol::rpc_error err;
  err.code = code;
  err.message = std::move(message);
  if (!data.is_null())
    err.data = std::move(data);
  deliver(protocol::encode(protocol::error_response{id_, std::move(err)}));
}

void responder::deliver(std::string text) const {
  if (answered_->exchange(true))
    return;
  caf::anon_send(client_, detail::reply_atom::value, epoch_, std::move(text));
}

} // namespace cafmcp::client
