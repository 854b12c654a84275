#include "cafmcp/transports/http_service.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <list>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message_view.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/actors/services/sse_messages.hpp"
#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/protocol_version.hpp"
#include "cafmcp/transports/detail/atoms.hpp"
#include "cafmcp/transports/detail/session_directory.hpp"
#include "cafmcp/transports/http_wire.hpp"
#include "cafmcp/transports/message_peek.hpp"
#include "cafmcp/transports/origin_policy.hpp"

namespace cafmcp::transports {

using namespace detail;
namespace ec = protocol::error_code;

struct http_service::impl {
  impl(caf::actor_system& s, broker_ref b, listener_config c, std::shared_ptr<sse_event_store> st)
      : sys(s), broker(std::move(b)), cfg(std::move(c)), origins(cfg.origins),
        store(std::move(st)) {
    if (!store && !cfg.event_store) {
      memory_event_store_limits lim;
      lim.max_events_per_stream = cfg.event_store_max_events_per_stream;
      store = make_memory_event_store(lim);
    }
  }

  caf::actor_system& sys;
  broker_ref broker;
  listener_config cfg;
  origin_policy origins;
  std::shared_ptr<sse_event_store> store;
  session_directory streamable;
  std::shared_ptr<session_directory> legacy = std::make_shared<session_directory>();
  // Shared by every WebSocket session.
  std::shared_ptr<const line_session_options> ws_options = [this] {
    line_session_options opts;
    opts.kind = mcp::transport_kind::websocket;
    opts.broker = broker;
    opts.open_timeout = cfg.open_timeout;
    opts.eof_grace = cfg.limits.read_timeout;
    opts.max_message_bytes = cfg.limits.max_message_bytes;
    opts.max_inflight = cfg.limits.outbound_queue_max_messages;
    return std::make_shared<const line_session_options>(std::move(opts));
  }();
};

namespace {

using impl_ptr = std::shared_ptr<http_service::impl>;

header_list json_headers(const std::string& session_id = {}) {
  header_list h{{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
  if (!session_id.empty())
    h.emplace_back("Mcp-Session-Id", session_id);
  return h;
}

header_list sse_headers(const std::string& session_id = {}) {
  header_list h{{"Content-Type", "text/event-stream"},
                {"Cache-Control", "no-cache, no-transform"},
                {"X-Accel-Buffering", "no"}};
  if (!session_id.empty())
    h.emplace_back("Mcp-Session-Id", session_id);
  return h;
}

void respond_error(http_stream_port& port, int status, int code, std::string_view message,
                   header_list extra = {}, std::string_view id_json = {}) {
  auto h = json_headers();
  for (auto& kv : extra)
    h.push_back(std::move(kv));
  port.respond(status, std::move(h), jsonrpc_error_body(code, message, id_json));
}

bool alive(const std::shared_ptr<http_stream_port>& p) {
  return p && !p->closed();
}

// -- the Streamable HTTP session actor ---------------------------------------

struct http_stream {
  std::shared_ptr<http_stream_port> port; // the connection it is written to, if any
  bool sse = false;                       // false: no byte written yet
  std::size_t open_requests = 0;
};

constexpr std::uint64_t standalone_stream = 0;

// One step of a session's output that must happen in order: storing an
// event (its id arrives later when the store is the service actor), then
// writing it; or a plain action (ending a stream) queued behind such writes.
struct ordered_step {
  std::uint64_t ticket = 0;
  bool ready = false;
  std::optional<std::string> event_id;                 // set once stored; nullopt: not stored
  std::function<void(std::optional<std::string>)> run; // called in order, once ready
};

struct http_session_state {
  static inline const char* name = "http_session";

  caf::event_based_actor* self = nullptr;
  impl_ptr svc;
  caf::actor_addr self_addr;
  caf::actor server;
  std::string session_id;
  bool opened = false;
  std::vector<std::string> pending; // inbound JSON until the broker answered
  std::map<std::uint64_t, http_stream> streams;
  std::unordered_map<std::string, std::uint64_t> request_stream; // id JSON -> stream
  std::unordered_map<std::uint64_t, std::uint64_t> exchange_stream;
  std::uint64_t next_stream = 1;
  std::list<ordered_step> steps; // a list allocates nothing while empty (a deque ~600 B)
  std::uint64_t next_ticket = 1;
  // Streams with an event the store could not keep: never resumed (fail closed).
  std::set<std::uint64_t> unresumable;

  ~http_session_state() {
    for (auto& [no, s] : streams)
      if (s.port)
        s.port->close();
    if (svc && !session_id.empty())
      svc->streamable.erase(session_id, self_addr);
  }

  void attach(std::uint64_t no, const std::shared_ptr<http_stream_port>& port) {
    auto& s = streams[no];
    if (s.port && s.port != port) {
      exchange_stream.erase(s.port->exchange_id());
      s.port->close();
    }
    s.port = port;
    exchange_stream[port->exchange_id()] = no;
  }

  // Once no request is in flight the table gives back its bucket array, so
  // an idle session holds none.
  void forget_request(const std::string& id) {
    request_stream.erase(id);
    if (request_stream.empty())
      decltype(request_stream){}.swap(request_stream);
  }

  std::string stream_name(std::uint64_t no) const { return std::to_string(no); }

  // Runs every step at the head of the queue that is ready.
  void drain() {
    while (!steps.empty() && steps.front().ready) {
      auto step = std::move(steps.front());
      steps.pop_front();
      step.run(std::move(step.event_id));
    }
  }

  ordered_step& push_step(std::function<void(std::optional<std::string>)> run) {
    steps.push_back(ordered_step{next_ticket++, false, std::nullopt, std::move(run)});
    return steps.back();
  }

  void complete_step(std::uint64_t ticket, std::optional<std::string> id) {
    for (auto& step : steps)
      if (step.ticket == ticket) {
        step.ready = true;
        step.event_id = std::move(id);
        break;
      }
    drain();
  }

  // An action that must wait for the writes queued before it.
  void then_do(std::function<void()> f) {
    push_step([f = std::move(f)](std::optional<std::string>) { f(); }).ready = true;
    drain();
  }

  // Stores one event of stream `no`, then calls `write` with its id, in the
  // order of store() calls. A failed store marks the stream unresumable.
  void store(std::uint64_t no, std::string data,
             std::function<void(const std::string& event_id)> write) {
    auto& step = push_step([this, no, write = std::move(write)](std::optional<std::string> id) {
      if (!id)
        unresumable.insert(no);
      write(id ? *id : std::string{});
    });
    if (!svc->cfg.event_store) {
      step.ready = true;
      step.event_id = svc->store->append(session_id, stream_name(no), std::move(data));
      drain();
      return;
    }
    auto ticket = step.ticket;
    auto service = svc->cfg.event_store();
    if (!service) { // restarting: this event cannot be kept
      complete_step(ticket, std::nullopt);
      return;
    }
    self->request(service, svc->cfg.open_timeout, services::es_append_atom::value, session_id,
                  stream_name(no), std::move(data))
        .then([this, ticket](std::string& id) { complete_step(ticket, std::move(id)); },
              [this, ticket](caf::error&) { complete_step(ticket, std::nullopt); });
  }

  void forget_events() {
    if (!svc->cfg.event_store) {
      svc->store->forget(session_id);
      return;
    }
    if (auto service = svc->cfg.event_store())
      caf::anon_send(service, services::es_drop_atom::value, session_id);
  }

  // The priming event: an id and empty data, after the `retry:` field.
  void prime(std::uint64_t no) {
    store(no, {}, [this, no](const std::string& id) {
      auto i = streams.find(no);
      if (i != streams.end() && alive(i->second.port))
        i->second.port->send(format_sse_retry(svc->cfg.sse_retry) + format_sse_event(id, {}, {}));
    });
  }

  void open_sse(std::uint64_t no) {
    auto& s = streams[no];
    s.sse = true;
    if (alive(s.port))
      s.port->open_sse(sse_headers(session_id));
    prime(no);
  }

  void emit(std::uint64_t no, const std::string& json) {
    store(no, json, [this, no, json](const std::string& id) {
      auto i = streams.find(no);
      if (i != streams.end() && alive(i->second.port))
        i->second.port->send(format_sse_event(id, "message", json));
    });
  }

  void end_stream(std::uint64_t no) {
    auto i = streams.find(no);
    if (i == streams.end())
      return;
    if (i->second.port) {
      exchange_stream.erase(i->second.port->exchange_id());
      if (i->second.sse)
        i->second.port->finish();
    }
    if (no != standalone_stream)
      streams.erase(i);
    else
      i->second.port = nullptr;
  }

  // One message for the stream of request `id`.
  void deliver(std::uint64_t no, const std::string& json, bool is_response, const std::string& id,
               int status = 200) {
    auto i = streams.find(no);
    if (i == streams.end())
      return;
    auto& s = i->second;
    if (!s.sse) {
      if (is_response && s.open_requests <= 1) {
        // Nothing else came first: a plain JSON answer.
        if (alive(s.port))
          s.port->respond(status, json_headers(session_id), json);
        forget_request(id);
        if (s.port)
          exchange_stream.erase(s.port->exchange_id());
        streams.erase(i);
        return;
      }
      open_sse(no);
    }
    emit(no, json);
    if (is_response) {
      forget_request(id);
      if (s.open_requests > 0)
        --s.open_requests;
      if (s.open_requests == 0) {
        // Not yet a stream for new requests, and ended after its last write.
        then_do([this, no] { end_stream(no); });
      }
    }
  }

  // Answers every request in flight with an error, ends every stream.
  void fail_all(int code, const std::string& message, int status) {
    auto requests = request_stream;
    for (const auto& [id, no] : requests)
      deliver(no, jsonrpc_error_body(code, message, id), true, id, status);
    then_do([this] {
      std::vector<std::uint64_t> nos;
      for (const auto& kv : streams)
        nos.push_back(kv.first);
      for (auto no : nos)
        end_stream(no);
    });
  }
};

using http_session_actor_t = caf::stateful_actor<http_session_state>;

void forward(http_session_actor_t* self, std::string json) {
  auto& st = self->state;
  if (st.opened)
    self->send(st.server, mcp::session_in_atom::value, std::move(json));
  else
    st.pending.push_back(std::move(json));
}

void end_session(http_session_actor_t* self, bool forget_events) {
  auto& st = self->state;
  if (!st.session_id.empty()) {
    st.svc->streamable.erase(st.session_id, self->address());
    if (forget_events)
      st.forget_events();
  }
  // After the writes still waiting for the event store (bounded by its timeout).
  st.then_do([self] { self->quit(); });
}

void add_request(http_session_actor_t* self, exchange_ref& x, std::string& body,
                 const std::string& id) {
  auto& st = self->state;
  if (st.request_stream.size() >= st.svc->cfg.limits.outbound_queue_max_messages) {
    respond_error(*x.port, 429, ec::bad_request, "Too Many Requests: too many requests in flight",
                  {}, id);
    return;
  }
  if (st.request_stream.count(id) > 0) {
    respond_error(*x.port, 400, ec::invalid_request,
                  "Invalid Request: a request with this id is already in flight", {}, id);
    return;
  }
  auto no = st.next_stream++;
  auto& s = st.streams[no];
  s.port = x.port;
  s.open_requests = 1;
  st.request_stream[id] = no;
  st.exchange_stream[x.port->exchange_id()] = no;
  if (st.svc->cfg.sse_poll_after.count() > 0)
    self->delayed_send(self, st.svc->cfg.sse_poll_after, hpoll_atom::value,
                       static_cast<uint64_t>(no));
  forward(self, std::move(body));
}

// SSE polling (listener_config::sse_poll_after): a request with nothing sent
// for it yet gets its priming event, then its connection is let go. The
// stream lives on in the session and the event store; GET + Last-Event-ID
// picks it up.
void poll_stream(http_session_actor_t* self, std::uint64_t no) {
  auto& st = self->state;
  auto i = st.streams.find(no);
  if (i == st.streams.end() || i->second.sse || !alive(i->second.port))
    return;
  st.open_sse(no);
  st.then_do([self, no, port = i->second.port] {
    auto& st = self->state;
    st.exchange_stream.erase(port->exchange_id());
    port->finish();
    auto j = st.streams.find(no);
    if (j != st.streams.end() && j->second.port == port)
      j->second.port = nullptr;
  });
}

// An SSE comment on every open SSE stream: idle streams stay visibly alive.
void keep_alive(http_session_actor_t* self) {
  auto& st = self->state;
  for (auto& [no, s] : st.streams)
    if (s.sse && alive(s.port))
      s.port->send(": keepalive\n\n");
  self->delayed_send(self, st.svc->cfg.sse_keepalive, hkeep_atom::value);
}

// GET + Last-Event-ID: the events of that one stream after the id, then the
// stream itself if it is still open. Ordered behind the writes in progress,
// so that nothing stored before the replay is lost or sent twice.
void on_replay(http_session_actor_t* self, const std::shared_ptr<http_stream_port>& port,
               std::optional<sse_replay> replay) {
  auto& st = self->state;
  std::uint64_t no = 0;
  bool ok = replay.has_value();
  if (ok) {
    try {
      no = std::stoull(replay->stream);
    } catch (...) {
      ok = false;
    }
  }
  if (!ok || st.unresumable.count(no) > 0) {
    respond_error(*port, 400, ec::bad_request,
                  "Bad Request: unknown Last-Event-ID, or the events after it are gone");
    return;
  }
  port->open_sse(sse_headers(st.session_id));
  std::string out;
  for (const auto& ev : replay->events)
    if (!ev.data.empty())
      out += format_sse_event(ev.id, "message", ev.data);
  if (!out.empty())
    port->send(std::move(out));
  if (st.streams.find(no) == st.streams.end()) {
    port->finish(); // that stream is complete: nothing more will come
    return;
  }
  st.attach(no, port);
}

void resume(http_session_actor_t* self, std::shared_ptr<http_stream_port> port,
            std::string last_event_id) {
  auto& st = self->state;
  // A placeholder in the queue; the replay's answer becomes its action.
  auto& step = st.push_step([](std::optional<std::string>) {});
  auto ticket = step.ticket;
  if (!st.svc->cfg.event_store) {
    auto replay = st.svc->store->replay_after(st.session_id, last_event_id);
    step.run = [self, port, replay](std::optional<std::string>) mutable {
      on_replay(self, port, std::move(replay));
    };
    st.complete_step(ticket, std::nullopt);
    return;
  }
  auto service = st.svc->cfg.event_store();
  auto fail = [self, port, ticket] {
    auto& st = self->state;
    for (auto& s : st.steps)
      if (s.ticket == ticket)
        s.run = [self, port](std::optional<std::string>) { on_replay(self, port, std::nullopt); };
    st.complete_step(ticket, std::nullopt);
  };
  if (!service) {
    fail();
    return;
  }
  self->request(service, st.svc->cfg.open_timeout, services::es_replay_atom::value, st.session_id,
                std::move(last_event_id))
      .then(
          [self, port, ticket](services::sse_replay& r) {
            auto& st = self->state;
            std::optional<sse_replay> replay{sse_replay{}};
            replay->stream = std::move(r.stream);
            for (auto& ev : r.events)
              replay->events.push_back(sse_event{std::move(ev.id), std::move(ev.data)});
            for (auto& s : st.steps)
              if (s.ticket == ticket)
                s.run = [self, port, replay](std::optional<std::string>) mutable {
                  on_replay(self, port, std::move(replay));
                };
            st.complete_step(ticket, std::nullopt);
          },
          [fail](caf::error&) { fail(); });
}

// The messages of a session's life, not of its traffic (GET, DELETE, stream
// polling and keepalive, a client leaving, the server ending). They stay out
// of the behavior, which CAF allocates per actor with a slot per handler
// (~37 bytes each), and come through the default handler instead.
void on_get(http_session_actor_t* self, exchange_ref& x, std::string& last_event_id) {
  auto& st = self->state;
  if (!last_event_id.empty()) {
    resume(self, std::move(x.port), std::move(last_event_id));
    return;
  }
  auto& s0 = st.streams[standalone_stream];
  if (alive(s0.port)) {
    respond_error(*x.port, 409, ec::bad_request,
                  "Conflict: Only one SSE stream is allowed per session");
    return;
  }
  st.attach(standalone_stream, x.port);
  x.port->open_sse(sse_headers(st.session_id));
  st.prime(standalone_stream);
}

void on_delete(http_session_actor_t* self, exchange_ref& x) {
  auto& st = self->state;
  if (st.server) {
    self->demonitor(st.server);
    self->send(st.server, mcp::session_close_atom::value);
    st.server = nullptr;
  }
  st.fail_all(ec::bad_request, "Session terminated by DELETE", 200);
  x.port->respond(200, json_headers(), {});
  end_session(self, true);
}

void on_gone(http_session_actor_t* self, uint64_t exchange) {
  auto& st = self->state;
  auto i = st.exchange_stream.find(exchange);
  if (i == st.exchange_stream.end())
    return;
  auto s = st.streams.find(i->second);
  if (s != st.streams.end())
    s->second.port = nullptr; // disconnection is not cancellation
  st.exchange_stream.erase(i);
}

void on_session_closed(http_session_actor_t* self, const caf::error& reason) {
  auto& st = self->state;
  if (st.server)
    self->demonitor(st.server);
  st.server = nullptr;
  st.fail_all(ec::internal_error,
              "MCP session closed by the server" +
                  (reason ? ": " + to_string(reason) : std::string{}),
              st.opened ? 200 : 503);
  end_session(self, true);
}

caf::result<caf::message> on_other_message(http_session_actor_t* self, caf::message_view& x) {
  auto& xs = x.content();
  // CAF 0.17's apply() matches by-value parameters only; these are rare.
  auto handled =
      xs.apply([self](hget_atom, exchange_ref x, std::string last) { on_get(self, x, last); }) ||
      xs.apply([self](hdel_atom, exchange_ref x) { on_delete(self, x); }) ||
      xs.apply([self](hpoll_atom, uint64_t no) { poll_stream(self, no); }) ||
      xs.apply([self](hkeep_atom) { keep_alive(self); }) ||
      xs.apply([self](hgone_atom, uint64_t exchange) { on_gone(self, exchange); }) ||
      xs.apply(
          [self](mcp::session_closed_atom, caf::error reason) { on_session_closed(self, reason); });
  if (handled)
    return caf::message{};
  return caf::sec::unexpected_message;
}

// Spawned by the initialize POST, which it owns from the start (so a fast
// broker error can never overtake it).
caf::behavior http_session_actor(http_session_actor_t* self, impl_ptr svc, caf::actor broker,
                                 exchange_ref init, std::string body, std::string id) {
  auto& st = self->state;
  st.self = self;
  st.svc = std::move(svc);
  st.self_addr = self->address();
  st.streams[standalone_stream].sse = true;
  add_request(self, init, body, id);
  if (st.svc->cfg.sse_keepalive.count() > 0)
    self->delayed_send(self, st.svc->cfg.sse_keepalive, hkeep_atom::value);
  self->set_default_handler(
      [self](caf::scheduled_actor*, caf::message_view& x) { return on_other_message(self, x); });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (!st.server || dm.source != st.server.address())
      return;
    st.server = nullptr;
    st.fail_all(ec::internal_error,
                "MCP session ended: its server actor is gone (" + to_string(dm.reason) +
                    "); initialize a new session",
                200);
    end_session(self, true);
  });
  auto fail_open = [self](const std::string& why) {
    auto& st = self->state;
    st.fail_all(ec::internal_error, "cannot open an MCP session: " + why, 503);
    end_session(self, false);
  };
  self->request(broker, st.svc->cfg.open_timeout, mcp::session_open_atom::value,
                mcp::transport_kind::streamable_http, caf::actor{self})
      .then(
          [self, fail_open](caf::actor server, std::string session_id) {
            auto& st = self->state;
            if (!server || session_id.empty()) {
              fail_open("the broker returned no server");
              return;
            }
            st.server = server;
            st.session_id = std::move(session_id);
            st.opened = true;
            self->monitor(server);
            st.svc->streamable.put(st.session_id, caf::actor{self});
            for (auto& json : st.pending)
              self->send(server, mcp::session_in_atom::value, std::move(json));
            st.pending.clear();
          },
          [fail_open](caf::error& err) { fail_open(to_string(err)); });
  return {
      [self](hpost_atom, exchange_ref& x, std::string& body, std::string& id) {
        add_request(self, x, body, id);
      },
      [self](hmsg_atom, std::string& body) { forward(self, std::move(body)); },
      [self](mcp::session_out_atom, std::string& json, std::string& related) {
        auto& st = self->state;
        auto pk = peek_outbound(json);
        bool is_response = pk.kind == peek_kind::response;
        auto i = st.request_stream.end();
        if (!related.empty())
          i = st.request_stream.find(related);
        if (i == st.request_stream.end() && is_response)
          i = st.request_stream.find(pk.id);
        if (i != st.request_stream.end()) {
          auto id = i->first;
          st.deliver(i->second, json, is_response, id);
          return;
        }
        if (is_response)
          return; // never on the standalone stream; its request is gone
        st.emit(standalone_stream, json);
      },
  };
}

// -- request validation --------------------------------------------------------

// ASCII only, as header tokens are; no locale, no copy (this runs for every
// POST).
char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether header `name` contains `token` (given in lower case), ignoring case.
bool header_contains(const http_request& req, std::string_view name, std::string_view token) {
  auto v = req.header(name);
  if (!v)
    return false;
  return std::search(v->begin(), v->end(), token.begin(), token.end(),
                     [](char a, char b) { return ascii_lower(a) == b; }) != v->end();
}

std::string supported_versions_text() {
  std::string out;
  for (auto v : protocol::supported_protocol_versions) {
    if (!out.empty())
      out += ", ";
    out += protocol::to_string(v);
  }
  return out;
}

// Mcp-Session-Id and MCP-Protocol-Version of a non-initialize request;
// answers 400/404 itself and returns nothing then.
caf::actor check_session(const impl_ptr& svc, const http_request& req, http_stream_port& port) {
  auto n = req.header_count("mcp-session-id");
  if (n == 0) {
    respond_error(port, 400, ec::bad_request, "Bad Request: Mcp-Session-Id header is required");
    return {};
  }
  if (n > 1) {
    respond_error(port, 400, ec::bad_request,
                  "Bad Request: Mcp-Session-Id header must be a single value");
    return {};
  }
  auto actor = svc->streamable.find(std::string{*req.header("mcp-session-id")});
  if (!actor) {
    respond_error(port, 404, ec::session_not_found, "Session not found");
    return {};
  }
  auto version = protocol::parse_protocol_version_header(req.header("mcp-protocol-version"));
  if (!version) {
    respond_error(port, 400, ec::bad_request,
                  "Bad Request: Unsupported protocol version: " +
                      std::string{req.header("mcp-protocol-version").value_or("")} +
                      " (supported versions: " + supported_versions_text() + ")");
    return {};
  }
  return actor;
}

void watch(const caf::actor& actor, http_stream_port& port) {
  port.set_on_gone([actor, ex = port.exchange_id()] {
    caf::anon_send(actor, hgone_atom::value, static_cast<uint64_t>(ex));
  });
}

void handle_post(const impl_ptr& svc, http_request& req, std::shared_ptr<http_stream_port> port) {
  if (!header_contains(req, "accept", "application/json") ||
      !header_contains(req, "accept", "text/event-stream")) {
    respond_error(*port, 406, ec::bad_request,
                  "Not Acceptable: Client must accept both application/json and text/event-stream");
    return;
  }
  if (!header_contains(req, "content-type", "application/json")) {
    respond_error(*port, 415, ec::bad_request,
                  "Unsupported Media Type: Content-Type must be application/json");
    return;
  }
  auto pk = peek_message(req.body);
  switch (pk.kind) {
  case peek_kind::invalid_json:
    respond_error(*port, 400, ec::parse_error, "Parse error: Invalid JSON");
    return;
  case peek_kind::batch:
    respond_error(*port, 400, ec::invalid_request,
                  "Invalid Request: JSON-RPC batches are not supported (removed in 2025-06-18)");
    return;
  case peek_kind::invalid:
    respond_error(*port, 400, ec::invalid_request, "Invalid Request: not a JSON-RPC message");
    return;
  default:
    break;
  }
  if (pk.kind == peek_kind::request && pk.method == "initialize") {
    if (req.header_count("mcp-session-id") > 0) {
      respond_error(*port, 400, ec::invalid_request,
                    "Invalid Request: initialize must not carry an Mcp-Session-Id header", {},
                    pk.id);
      return;
    }
    auto broker = svc->broker ? svc->broker() : caf::actor{};
    if (!broker) {
      respond_error(*port, 503, ec::internal_error, "Service Unavailable: no session broker", {},
                    pk.id);
      return;
    }
    // on_gone must be set here, on the strand, before the port is shared.
    auto gone = std::make_shared<caf::actor>();
    port->set_on_gone([gone, ex = port->exchange_id()] {
      if (*gone)
        caf::anon_send(*gone, hgone_atom::value, static_cast<uint64_t>(ex));
    });
    *gone = svc->sys.spawn(http_session_actor, svc, broker, exchange_ref{std::move(port)},
                           std::move(req.body), std::move(pk.id));
    return;
  }
  auto actor = check_session(svc, req, *port);
  if (!actor)
    return;
  if (pk.kind == peek_kind::request) {
    watch(actor, *port);
    caf::anon_send(actor, hpost_atom::value, exchange_ref{std::move(port)}, std::move(req.body),
                   std::move(pk.id));
    return;
  }
  // A notification or a response: accepted, nothing to answer.
  caf::anon_send(actor, hmsg_atom::value, std::move(req.body));
  port->respond(202, {}, {});
}

void handle_get(const impl_ptr& svc, http_request& req, std::shared_ptr<http_stream_port> port) {
  if (!header_contains(req, "accept", "text/event-stream")) {
    respond_error(*port, 406, ec::bad_request,
                  "Not Acceptable: Client must accept text/event-stream");
    return;
  }
  auto actor = check_session(svc, req, *port);
  if (!actor)
    return;
  watch(actor, *port);
  std::string last{req.header("last-event-id").value_or("")};
  caf::anon_send(actor, hget_atom::value, exchange_ref{std::move(port)}, std::move(last));
}

void handle_delete(const impl_ptr& svc, http_request& req, std::shared_ptr<http_stream_port> port) {
  auto actor = check_session(svc, req, *port);
  if (!actor)
    return;
  caf::anon_send(actor, hdel_atom::value, exchange_ref{std::move(port)});
}

// -- legacy HTTP+SSE (2024-11-05) -------------------------------------------------

void handle_legacy_get(const impl_ptr& svc, std::shared_ptr<http_stream_port> port) {
  port->open_sse(sse_headers());
  line_session_options opts;
  opts.kind = mcp::transport_kind::sse;
  opts.broker = svc->broker;
  opts.open_timeout = svc->cfg.open_timeout;
  opts.eof_grace = svc->cfg.limits.read_timeout;
  opts.max_message_bytes = svc->cfg.limits.max_message_bytes;
  opts.max_inflight = svc->cfg.limits.outbound_queue_max_messages;
  opts.legacy_sse = true;
  opts.sse_keepalive = svc->cfg.sse_keepalive;
  opts.endpoint_prefix = svc->cfg.routes.messages_path + "?sessionId=";
  auto dir = svc->legacy;
  opts.on_open = [dir](const std::string& id, const caf::actor& self) { dir->put(id, self); };
  opts.on_end = [dir](const std::string& id) {
    // The actor is ending: drop its entry.
    if (auto a = dir->find(id))
      dir->erase(id, a.address());
  };
  auto h = start_line_session(svc->sys, port, std::move(opts));
  port->set_on_gone(std::move(h.on_closed));
}

void handle_legacy_post(const impl_ptr& svc, http_request& req, http_stream_port& port) {
  auto id = req.query_param("sessionId");
  if (!id || id->empty()) {
    respond_error(port, 400, ec::bad_request, "Bad Request: sessionId query parameter is required");
    return;
  }
  if (!header_contains(req, "content-type", "application/json")) {
    respond_error(port, 400, ec::bad_request, "Bad Request: Content-Type must be application/json");
    return;
  }
  auto actor = svc->legacy->find(*id);
  if (!actor) {
    respond_error(port, 404, ec::session_not_found, "Session not found");
    return;
  }
  caf::anon_send(actor, in_atom::value, std::move(req.body));
  port.respond(202, {{"Content-Type", "text/plain"}}, "Accepted");
}

} // namespace

http_service::http_service(caf::actor_system& sys, broker_ref broker, listener_config cfg,
                           std::shared_ptr<sse_event_store> store)
    : impl_(std::make_shared<impl>(sys, std::move(broker), std::move(cfg), std::move(store))) {}

http_service::~http_service() = default;

void http_service::handle(http_request req, std::shared_ptr<http_stream_port> port) {
  const auto& cfg = impl_->cfg;
  if (!impl_->origins.allows(req.header("host"), req.header("origin"))) {
    respond_error(*port, 403, ec::bad_request, "Forbidden: Host or Origin not allowed");
    return;
  }
  auto path = req.path();
  if (cfg.routes.streamable && path == cfg.routes.mcp_path) {
    if (req.method == "POST")
      handle_post(impl_, req, std::move(port));
    else if (req.method == "GET")
      handle_get(impl_, req, std::move(port));
    else if (req.method == "DELETE")
      handle_delete(impl_, req, std::move(port));
    else
      respond_error(*port, 405, ec::bad_request, "Method not allowed.",
                    {{"Allow", "GET, POST, DELETE"}});
    return;
  }
  if (cfg.routes.legacy_sse && path == cfg.routes.sse_path) {
    if (req.method == "GET")
      handle_legacy_get(impl_, std::move(port));
    else
      respond_error(*port, 405, ec::bad_request, "Method not allowed.", {{"Allow", "GET"}});
    return;
  }
  if (cfg.routes.legacy_sse && path == cfg.routes.messages_path) {
    if (req.method == "POST")
      handle_legacy_post(impl_, req, *port);
    else
      respond_error(*port, 405, ec::bad_request, "Method not allowed.", {{"Allow", "POST"}});
    return;
  }
  if (cfg.routes.websocket && path == cfg.routes.ws_path) {
    respond_error(*port, 426, ec::bad_request, "Upgrade Required: WebSocket only",
                  {{"Upgrade", "websocket"}});
    return;
  }
  respond_error(*port, 404, ec::bad_request, "Not Found");
}

bool http_service::is_websocket_route(const http_request& req) const {
  return impl_->cfg.routes.websocket && req.path() == impl_->cfg.routes.ws_path;
}

int http_service::check_websocket(const http_request& req) const {
  if (!impl_->origins.allows(req.header("host"), req.header("origin")))
    return 403;
  if (auto offered = req.header("sec-websocket-protocol")) {
    // A comma-separated token list; it must include "mcp".
    std::string_view rest{*offered};
    bool found = false;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto tok = rest.substr(0, comma);
      while (!tok.empty() && tok.front() == ' ')
        tok.remove_prefix(1);
      while (!tok.empty() && tok.back() == ' ')
        tok.remove_suffix(1);
      if (tok == "mcp")
        found = true;
      if (comma == std::string_view::npos)
        break;
      rest = rest.substr(comma + 1);
    }
    if (!found)
      return 400;
  }
  return 0;
}

inbound_handlers http_service::start_websocket(std::shared_ptr<outbound_port> port) {
  return start_line_session(impl_->sys, std::move(port), impl_->ws_options);
}

std::size_t http_service::streamable_sessions() const {
  return impl_->streamable.size();
}

std::size_t http_service::legacy_sessions() const {
  return impl_->legacy->size();
}

} // namespace cafmcp::transports
