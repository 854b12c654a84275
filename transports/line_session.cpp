#include "cafmcp/transports/line_session.hpp"

#include <unordered_set>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message_view.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/protocol/jsonrpc_codec.hpp"
#include "cafmcp/transports/detail/atoms.hpp"
#include "cafmcp/transports/http_wire.hpp"
#include "cafmcp/transports/message_peek.hpp"

namespace cafmcp::transports {

namespace {

using namespace detail;

struct line_state {
  static inline const char* name = "transport_session";

  // Strong: an HTTP exchange port has no other owner, and a TCP connection
  // that got EOF has no pending read to keep it. Released when the actor
  // ends (its state goes) or the connection reports it is gone.
  std::shared_ptr<outbound_port> port;
  std::shared_ptr<const line_session_options> opts; // shared by the sessions of a listener
  caf::actor server;
  std::string session_id;
  bool opened = false;
  bool eof = false;
  // Both allocate nothing while empty, so an idle session holds neither.
  std::vector<std::string> pending;         // inbound while the broker opens the session
  std::unordered_set<std::string> inflight; // ids (JSON text) of unanswered requests

  void forget(const std::string& id) {
    inflight.erase(id);
    if (inflight.empty())
      std::unordered_set<std::string>{}.swap(inflight); // frees the bucket array
  }

  ~line_state() {
    if (port)
      port->close();
    if (opts && opts->on_end && !session_id.empty())
      opts->on_end(session_id);
  }

  void write(const std::string& json) {
    auto& p = port;
    if (!p)
      return;
    if (opts->legacy_sse)
      p->send(format_sse_event({}, "message", json));
    else
      p->send(json);
  }

  void fail_inflight(int code, const std::string& message) {
    for (const auto& id : inflight)
      write(jsonrpc_error_body(code, message, id));
    std::unordered_set<std::string>{}.swap(inflight);
  }

  void track_inbound(const std::string& json) {
    auto pk = peek_message(json);
    if (pk.kind == peek_kind::request)
      inflight.insert(pk.id);
  }
};

using line_actor = caf::stateful_actor<line_state>;

void end_session(line_actor* self) {
  auto& st = self->state;
  if (st.server)
    self->send(st.server, mcp::session_close_atom::value);
  if (st.port)
    st.port->close();
  self->quit();
}

// The messages of a session's life, not of its traffic. They stay out of the
// behavior, which CAF allocates per actor with a slot per handler (~37 bytes
// each), and come through the default handler instead.
void on_keepalive(line_actor* self) {
  auto& st = self->state;
  if (!st.port || st.port->closed())
    return;
  st.port->send(": keepalive\n\n");
  self->delayed_send(self, st.opts->sse_keepalive, lkeep_atom::value);
}

void on_too_large(line_actor* self, uint64_t size) {
  auto err = protocol::invalid_request(
      "Message too large", "message_too_large",
      {{"max_bytes", self->state.opts->max_message_bytes}, {"size", size}});
  self->state.write(protocol::encode(protocol::error_response{std::nullopt, std::move(err)}));
}

void on_eof(line_actor* self) {
  auto& st = self->state;
  st.eof = true;
  if (st.opened && st.inflight.empty()) {
    end_session(self);
    return;
  }
  self->delayed_send(self, st.opts->eof_grace, grace_atom::value);
}

// The connection is closed: tell the server, end.
void on_gone(line_actor* self) {
  self->state.port.reset();
  end_session(self);
}

void on_session_closed(line_actor* self, const caf::error& reason) {
  auto& st = self->state;
  st.fail_inflight(protocol::error_code::internal_error,
                   "MCP session closed by the server" +
                       (reason ? ": " + to_string(reason) : std::string{}));
  if (st.server)
    self->demonitor(st.server);
  st.server = nullptr; // it ended the session itself; no session_close back
  if (st.port)
    st.port->close();
  self->quit();
}

caf::result<caf::message> on_other_message(line_actor* self, caf::message_view& x) {
  auto& xs = x.content();
  // CAF 0.17's apply() matches by-value parameters only; these are rare.
  auto handled = xs.apply([self](lkeep_atom) { on_keepalive(self); }) ||
                 xs.apply([self](too_large_atom, uint64_t size) { on_too_large(self, size); }) ||
                 xs.apply([self](eof_atom) { on_eof(self); }) ||
                 xs.apply([self](grace_atom) { end_session(self); }) ||
                 xs.apply([self](gone_atom) { on_gone(self); }) ||
                 xs.apply([self](mcp::session_closed_atom, caf::error reason) {
                   on_session_closed(self, reason);
                 });
  if (handled)
    return caf::message{};
  return caf::sec::unexpected_message;
}

caf::behavior line_session_actor(line_actor* self, std::shared_ptr<outbound_port> port,
                                 std::shared_ptr<const line_session_options> opts) {
  auto& st = self->state;
  st.port = std::move(port);
  st.opts = std::move(opts);
  self->set_default_handler(
      [self](caf::scheduled_actor*, caf::message_view& x) { return on_other_message(self, x); });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (!st.server || dm.source != st.server.address())
      return;
    // The server actor is gone (its pool crashed, say): answer what is in
    // flight, then close so that the client starts over.
    st.fail_inflight(protocol::error_code::internal_error,
                     "MCP session ended: its server actor is gone (" + to_string(dm.reason) +
                         "); initialize a new session");
    st.server = nullptr;
    end_session(self);
  });
  auto broker = st.opts->broker ? st.opts->broker() : caf::actor{};
  auto fail_open = [self](const std::string& why) {
    auto& st = self->state;
    for (const auto& json : st.pending)
      st.track_inbound(json);
    std::vector<std::string>{}.swap(st.pending);
    st.fail_inflight(protocol::error_code::internal_error, "cannot open an MCP session: " + why);
    end_session(self);
  };
  if (!broker) {
    fail_open("no broker");
  } else {
    self->request(broker, st.opts->open_timeout, mcp::session_open_atom::value, st.opts->kind,
                  caf::actor{self})
        .then(
            [self, fail_open](caf::actor server, std::string session_id) {
              auto& st = self->state;
              if (!server) {
                fail_open("the broker returned no server");
                return;
              }
              st.server = server;
              st.session_id = std::move(session_id);
              st.opened = true;
              self->monitor(server);
              // Registered before the endpoint event goes out: a client may
              // POST to the endpoint the moment it reads it.
              if (st.opts->on_open)
                st.opts->on_open(st.session_id, caf::actor{self});
              if (st.opts->legacy_sse && st.port) {
                st.port->send(
                    format_sse_event({}, "endpoint", st.opts->endpoint_prefix + st.session_id));
                if (st.opts->sse_keepalive.count() > 0)
                  self->delayed_send(self, st.opts->sse_keepalive, lkeep_atom::value);
              }
              for (auto& json : st.pending)
                self->send(server, mcp::session_in_atom::value, std::move(json));
              std::vector<std::string>{}.swap(st.pending);
              if (st.eof && st.inflight.empty())
                end_session(self);
            },
            [fail_open](caf::error& err) { fail_open(to_string(err)); });
  }
  return {
      [self](in_atom, std::string& json) {
        auto& st = self->state;
        auto pk = peek_message(json);
        if (pk.kind == peek_kind::request) {
          if (st.inflight.size() >= st.opts->max_inflight) {
            st.write(jsonrpc_error_body(protocol::error_code::bad_request,
                                        "Too many requests in flight", pk.id));
            return;
          }
          st.inflight.insert(pk.id);
        }
        if (st.opened) {
          self->send(st.server, mcp::session_in_atom::value, std::move(json));
        } else if (st.pending.size() < st.opts->max_pending) {
          st.pending.push_back(std::move(json));
        } else {
          // Flooding before the session exists: drop the connection.
          st.fail_inflight(protocol::error_code::internal_error,
                           "too many messages before the session opened");
          end_session(self);
        }
      },
      [self](mcp::session_out_atom, std::string& json, std::string&) {
        auto& st = self->state;
        auto pk = peek_outbound(json);
        if (pk.kind == peek_kind::response)
          st.forget(pk.id);
        st.write(json);
        if (st.eof && st.inflight.empty())
          end_session(self);
      },
  };
}

} // namespace

inbound_handlers start_line_session(caf::actor_system& sys, std::shared_ptr<outbound_port> port,
                                    line_session_options opts, caf::actor* spawned) {
  return start_line_session(sys, std::move(port),
                            std::make_shared<const line_session_options>(std::move(opts)), spawned);
}

inbound_handlers start_line_session(caf::actor_system& sys, std::shared_ptr<outbound_port> port,
                                    std::shared_ptr<const line_session_options> opts,
                                    caf::actor* spawned) {
  auto actor = sys.spawn(line_session_actor, std::move(port), std::move(opts));
  if (spawned)
    *spawned = actor;
  inbound_handlers h;
  h.on_message = [actor](std::string json) {
    caf::anon_send(actor, in_atom::value, std::move(json));
  };
  h.on_too_large = [actor](std::size_t size) {
    caf::anon_send(actor, too_large_atom::value, static_cast<uint64_t>(size));
  };
  h.on_eof = [actor] { caf::anon_send(actor, eof_atom::value); };
  h.on_closed = [actor] { caf::anon_send(actor, gone_atom::value); };
  return h;
}

} // namespace cafmcp::transports
