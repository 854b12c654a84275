// The blocking facade: a scoped_actor asks the client actor and waits, with a
// deadline a little beyond the actor's own (which answers with timeout first).
#include <caf/all.hpp>

#include "cafmcp/client/client.hpp"

namespace cafmcp::client {

blocking_client::blocking_client(caf::actor_system& sys, transports::io_runner& io,
                                 client_config cfg)
    : sys_(sys), self_(sys), wait_margin_(std::chrono::seconds{5}),
      request_timeout_(cfg.request_timeout), connect_timeout_(cfg.connect_timeout) {
  client_ = spawn_client(sys, io, std::move(cfg));
}

blocking_client::~blocking_client() {
  close();
}

caf::expected<session_info> blocking_client::connect() {
  if (!client_)
    return make_client_error(client_errc::closed, "client closed");
  caf::expected<session_info> out{caf::error{}};
  self_->request(client_, connect_timeout_ + wait_margin_, connect_atom::value)
      .receive([&](session_info& info) { out = std::move(info); },
               [&](caf::error& err) { out = std::move(err); });
  return out;
}

call_outcome blocking_client::call(const std::string& method, nlohmann::json params,
                                   std::chrono::milliseconds timeout) {
  call_outcome out;
  if (!client_) {
    out.failure = failure_of(make_client_error(client_errc::closed, "client closed"));
    return out;
  }
  auto limit = (timeout.count() > 0 ? timeout : request_timeout_) + wait_margin_;
  self_->request(client_, limit, call_atom::value, call_spec{method, std::move(params), timeout})
      .receive([&](call_reply& r) { out.result = std::move(r.result); },
               [&](caf::error& err) { out.failure = failure_of(err); });
  return out;
}

void blocking_client::notify(const std::string& method, nlohmann::json params) {
  if (client_)
    self_->send(client_, notify_atom::value, call_spec{method, std::move(params), {}});
}

void blocking_client::close() {
  if (!client_)
    return;
  self_->request(client_, wait_margin_, close_atom::value).receive([] {}, [](caf::error&) {});
  self_->wait_for(client_);
  client_ = nullptr;
}

} // namespace cafmcp::client
