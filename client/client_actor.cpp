// The client session actor: JSON-RPC ids, pending requests and their
// deadlines, the initialize handshake, and dispatch of what the server sends
// (answers, notifications, server->client requests). Bytes are the wire's job.

#include <unordered_map>
#include <utility>

#include <caf/all.hpp>

#include "cafmcp/client/client.hpp"
#include "cafmcp/client/detail/wire.hpp"
#include "cafmcp/client/detail/wire_atoms.hpp"
#include "cafmcp/protocol/jsonrpc_codec.hpp"
#include "cafmcp/protocol/protocol_version.hpp"

namespace cafmcp::client {

namespace {

using nlohmann::json;
using namespace detail;

struct pending_call {
  caf::response_promise promise;              // requests from actors
  std::function<void(call_outcome)> callback; // async_call
  bool is_init = false;
  std::string method;
};

enum class phase { idle, initializing, ready, expired, down, closed };

struct client_state {
  config_ptr cfg;
  transports::io_runner* io = nullptr;
  wire_ptr wire;
  std::uint32_t epoch = 0;
  phase ph = phase::idle;
  std::int64_t next_id = 1;
  std::unordered_map<std::int64_t, pending_call> pending;
  session_info info;
  caf::error last_failure; // why the session is not ready (for not_connected errors)

  ~client_state() {
    // Covers every end (close, unreachable, kill): the connection goes too.
    if (wire)
      wire->close();
    // Callbacks must not wait forever for an actor that is gone (promises
    // need no such care: their requesters have a timeout of their own).
    for (auto& kv : pending)
      if (kv.second.callback) {
        call_outcome out;
        out.failure = failure_of(make_client_error(client_errc::closed, "client ended"));
        kv.second.callback(std::move(out));
      }
  }

  static inline const char* name = "mcp_client";
};

using self_ptr = caf::stateful_actor<client_state>*;

json announced_capabilities(const client_config& cfg) {
  auto caps = json::object();
  if (cfg.handlers.sampling)
    caps["sampling"] = json::object();
  if (cfg.handlers.elicitation)
    caps["elicitation"] = {{"form", json::object()}, {"url", json::object()}};
  if (cfg.handlers.roots)
    caps["roots"] = {{"listChanged", true}};
  caps.merge_patch(cfg.capabilities);
  return caps;
}

void finish(self_ptr self, std::int64_t id, caf::expected<json> outcome) {
  auto i = self->state.pending.find(id);
  if (i == self->state.pending.end())
    return;
  auto call = std::move(i->second);
  self->state.pending.erase(i);
  if (call.callback) {
    call_outcome out;
    if (outcome)
      out.result = std::move(*outcome);
    else
      out.failure = failure_of(outcome.error());
    call.callback(std::move(out));
    return;
  }
  if (outcome)
    call.promise.deliver(call_reply{std::move(*outcome)});
  else
    call.promise.deliver(std::move(outcome.error()));
}

void fail_all(self_ptr self, const caf::error& why) {
  std::vector<std::int64_t> ids;
  ids.reserve(self->state.pending.size());
  for (auto& kv : self->state.pending)
    ids.push_back(kv.first);
  for (auto id : ids)
    finish(self, id, why);
}

void drop_wire(self_ptr self) {
  if (self->state.wire) {
    self->state.wire->close();
    self->state.wire.reset();
  }
}

// Sends a request and registers who waits for it; the id is ours.
std::int64_t send_request(self_ptr self, const std::string& method, const json& params,
                          std::chrono::milliseconds timeout, pending_call call) {
  auto& st = self->state;
  auto id = st.next_id++;
  protocol::request req{id, method, std::nullopt};
  if (!params.is_null())
    req.params = params;
  call.method = method;
  st.pending.emplace(id, std::move(call));
  st.wire->send(protocol::encode(req), id);
  if (timeout.count() <= 0)
    timeout = st.cfg->request_timeout;
  self->delayed_send(self, timeout, timeout_atom::value, id);
  return id;
}

void send_notification(self_ptr self, const std::string& method, json params) {
  protocol::notification n{method, std::nullopt};
  if (!params.is_null())
    n.params = std::move(params);
  self->state.wire->send(protocol::encode(n), 0);
}

void on_initialized(self_ptr self, std::int64_t id, const json& result) {
  auto& st = self->state;
  auto version = result.is_object() && result.contains("protocolVersion") &&
                         result["protocolVersion"].is_string()
                     ? result["protocolVersion"].get<std::string>()
                     : std::string{};
  if (!protocol::parse_protocol_version(version)) {
    auto err = make_client_error(client_errc::unsupported_version,
                                 "server answered protocolVersion '" + version + "'");
    st.ph = phase::down;
    st.last_failure = err;
    drop_wire(self);
    finish(self, id, err);
    return;
  }
  st.info.protocol_version = version;
  st.info.server_info = result.value("serverInfo", json::object());
  st.info.capabilities = result.value("capabilities", json::object());
  st.info.instructions = result.contains("instructions") && result["instructions"].is_string()
                             ? result["instructions"].get<std::string>()
                             : std::string{};
  st.wire->initialized(version);
  send_notification(self, "notifications/initialized", nullptr);
  st.ph = phase::ready;
  auto i = st.pending.find(id);
  if (i == st.pending.end())
    return;
  auto call = std::move(i->second);
  st.pending.erase(i);
  call.promise.deliver(st.info);
}

caf::error rpc_failure(const protocol::rpc_error& e) {
  return make_client_error(client_errc::rpc_error, e.message, e.code,
                           e.data ? e.data->dump() : std::string{});
}

void answer_server_request(self_ptr self, protocol::request& req) {
  auto& st = self->state;
  const auto& h = st.cfg->handlers;
  const std::function<void(const json&, responder)>* handler = nullptr;
  if (req.method == "sampling/createMessage" && h.sampling)
    handler = &h.sampling;
  else if (req.method == "elicitation/create" && h.elicitation)
    handler = &h.elicitation;
  else if (req.method == "roots/list" && h.roots)
    handler = &h.roots;
  responder reply{caf::actor_cast<caf::actor>(self), st.epoch, req.id};
  if (req.method == "ping") {
    reply.result(json::object());
    return;
  }
  if (!handler) {
    auto err = protocol::method_not_found(req.method);
    reply.error(err.code, err.message, err.data ? *err.data : json{});
    return;
  }
  try {
    (*handler)(req.params ? *req.params : json::object(), reply);
  } catch (const std::exception& e) {
    reply.error(protocol::error_code::internal_error, e.what());
  }
}

void on_wire_message(self_ptr self, std::string& text) {
  auto& st = self->state;
  protocol::decode_options opts;
  opts.max_message_bytes = st.cfg->max_message_bytes;
  auto decoded = protocol::decode(text, opts);
  if (!decoded) {
    // An answer we cannot read fails its request, if we can tell which.
    const auto& err = decoded.error();
    if (err.id && err.id->is_integer())
      finish(self, err.id->as_integer(),
             make_client_error(client_errc::malformed_response, err.error.message));
    return;
  }
  auto& msg = *decoded;
  if (auto* r = std::get_if<protocol::response>(&msg)) {
    if (!r->id.is_integer())
      return;
    auto id = r->id.as_integer();
    auto i = st.pending.find(id);
    if (i == st.pending.end())
      return; // late (timed out) or not ours
    if (i->second.is_init)
      on_initialized(self, id, r->result);
    else
      finish(self, id, std::move(r->result));
  } else if (auto* e = std::get_if<protocol::error_response>(&msg)) {
    if (e->id && e->id->is_integer()) {
      auto id = e->id->as_integer();
      auto i = st.pending.find(id);
      if (i != st.pending.end() && i->second.is_init)
        st.ph = phase::down;
      finish(self, id, rpc_failure(e->error));
    }
  } else if (auto* n = std::get_if<protocol::notification>(&msg)) {
    if (st.cfg->handlers.notification) {
      try {
        st.cfg->handlers.notification(n->method, n->params ? *n->params : json{});
      } catch (const std::exception&) {
        // A throwing callback must not end the session.
      }
    }
  } else if (auto* q = std::get_if<protocol::request>(&msg)) {
    answer_server_request(self, *q);
  }
}

caf::behavior client_actor(self_ptr self, config_ptr cfg, transports::io_runner* io) {
  self->state.cfg = std::move(cfg);
  self->state.io = io;
  self->set_default_handler(caf::drop);
  return {
      [=](connect_atom) -> caf::result<session_info> {
        auto& st = self->state;
        if (st.ph == phase::initializing)
          return make_client_error(client_errc::not_connected, "connect already in progress");
        // A fresh wire each time: a new session (no stale session id or socket).
        fail_all(self, make_client_error(client_errc::connection_lost, "reconnecting"));
        drop_wire(self);
        ++st.epoch;
        st.info = session_info{};
        st.wire = make_wire(st.io->context(), st.cfg, wire_sink{self->address(), st.epoch});
        if (!st.wire)
          return make_client_error(client_errc::invalid_config, "no such transport");
        st.ph = phase::initializing;
        st.wire->start();
        pending_call call;
        call.is_init = true;
        call.promise = self->make_response_promise();
        json params{{"protocolVersion", st.cfg->protocol_version},
                    {"capabilities", announced_capabilities(*st.cfg)},
                    {"clientInfo", st.cfg->client_info}};
        send_request(self, "initialize", params, st.cfg->connect_timeout, std::move(call));
        return caf::delegated<session_info>{};
      },
      [=](call_atom, call_spec& spec) -> caf::result<call_reply> {
        auto& st = self->state;
        if (st.ph != phase::ready)
          return st.ph == phase::expired
                     ? make_client_error(client_errc::session_expired, "initialize again", 0, {},
                                         404)
                     : make_client_error(client_errc::not_connected, "no initialized session");
        pending_call call;
        call.promise = self->make_response_promise();
        send_request(self, spec.method, spec.params, spec.timeout, std::move(call));
        return caf::delegated<call_reply>{};
      },
      [=](call_atom, call_spec& spec, call_callback& cb) {
        auto& st = self->state;
        if (st.ph != phase::ready) {
          call_outcome out;
          out.failure = failure_of(
              st.ph == phase::expired
                  ? make_client_error(client_errc::session_expired, "initialize again", 0, {}, 404)
                  : make_client_error(client_errc::not_connected, "no initialized session"));
          cb.fn(std::move(out));
          return;
        }
        pending_call call;
        call.callback = std::move(cb.fn);
        send_request(self, spec.method, spec.params, spec.timeout, std::move(call));
      },
      [=](notify_atom, call_spec& spec) {
        if (self->state.wire && self->state.ph == phase::ready)
          send_notification(self, spec.method, std::move(spec.params));
      },
      [=](info_atom) -> caf::result<session_info> {
        if (self->state.ph != phase::ready)
          return make_client_error(client_errc::not_connected, "no initialized session");
        return self->state.info;
      },
      [=](close_atom) {
        auto& st = self->state;
        st.ph = phase::closed;
        fail_all(self, make_client_error(client_errc::closed, "client closed"));
        drop_wire(self);
        self->quit();
        return caf::unit;
      },
      [=](timeout_atom, std::int64_t id) {
        auto& st = self->state;
        auto i = st.pending.find(id);
        if (i == st.pending.end())
          return;
        auto is_init = i->second.is_init;
        auto method = i->second.method;
        finish(self, id,
               make_client_error(client_errc::timeout, method + " got no answer in time"));
        if (is_init) {
          st.ph = phase::down;
          drop_wire(self);
        } else if (st.ph == phase::ready && st.wire) {
          // The server may stop working on it (disconnection is not cancellation).
          send_notification(self, "notifications/cancelled",
                            {{"requestId", id}, {"reason", "client timeout"}});
        }
      },
      [=](wire_msg_atom, std::uint32_t epoch, std::string& text) {
        if (epoch == self->state.epoch && self->state.wire)
          on_wire_message(self, text);
      },
      [=](wire_fail_atom, std::uint32_t epoch, std::int64_t tag, std::uint8_t kind,
          std::string& detail, std::int32_t http_status) {
        auto& st = self->state;
        if (epoch != st.epoch || !st.wire)
          return;
        auto code = static_cast<client_errc>(kind);
        auto err = make_client_error(code, detail, 0, {}, http_status);
        if (code == client_errc::session_expired && st.ph == phase::ready) {
          st.ph = phase::expired;
          st.last_failure = err;
        }
        auto i = st.pending.find(tag);
        if (i != st.pending.end() && i->second.is_init)
          st.ph = phase::down;
        finish(self, tag, err);
      },
      [=](wire_down_atom, std::uint32_t epoch, std::uint8_t kind, std::string& detail) {
        auto& st = self->state;
        if (epoch != st.epoch || !st.wire)
          return;
        auto code = static_cast<client_errc>(kind);
        auto err = make_client_error(code, detail);
        auto was_up = st.ph == phase::ready;
        st.ph = code == client_errc::session_expired ? phase::expired : phase::down;
        st.last_failure = err;
        drop_wire(self);
        fail_all(self, err);
        if (was_up && st.cfg->handlers.disconnected)
          st.cfg->handlers.disconnected(failure_of(err));
      },
      [=](wire_sid_atom, std::uint32_t epoch, std::string& id) {
        if (epoch == self->state.epoch)
          self->state.info.session_id = std::move(id);
      },
      [=](reply_atom, std::uint32_t epoch, std::string& text) {
        if (epoch == self->state.epoch && self->state.wire)
          self->state.wire->send(std::move(text), 0);
      },
  };
}

} // namespace

caf::actor spawn_client(caf::actor_system& sys, transports::io_runner& io, client_config cfg) {
  auto shared = std::make_shared<const client_config>(std::move(cfg));
  return sys.spawn(client_actor, std::move(shared), &io);
}

void async_call(const caf::actor& client, call_spec spec, std::function<void(call_outcome)> done) {
  caf::anon_send(client, call_atom::value, std::move(spec), call_callback{std::move(done)});
}

} // namespace cafmcp::client
