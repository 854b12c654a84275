#include "cafmcp/transports/transport.hpp"

#include <atomic>
#include <mutex>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/transports/detail/asio_glue.hpp"
#include "cafmcp/transports/http_service.hpp"

namespace cafmcp::transports {

struct transport::impl {
  caf::actor_system& sys;
  io_runner& io;
  broker_ref broker;
  listener_config cfg;
  std::shared_ptr<detail::connection_counter> counter;
  std::shared_ptr<http_service> http;
  std::shared_ptr<void> tls;
  mutable std::mutex mtx;
  std::string host;
  std::uint16_t port = 0;
};

namespace {

struct listener_state {
  static inline const char* name = "transport_listener";
  std::shared_ptr<detail::acceptor_handle> acceptor;
  std::shared_ptr<detail::connection_counter> counter;
  // stateful_actor destroys its state in on_exit(), before the attachables
  // (monitors) run: the port is free before a supervisor learns of the exit.
  ~listener_state() {
    if (acceptor)
      acceptor->close();
  }
};

caf::behavior listener_actor(caf::stateful_actor<listener_state>* self,
                             std::shared_ptr<detail::acceptor_handle> acceptor,
                             std::shared_ptr<detail::connection_counter> counter) {
  self->state.acceptor = std::move(acceptor);
  self->state.counter = std::move(counter);
  return {
      [self](listener_endpoint_atom) {
        return caf::make_message(self->state.acceptor->host(), self->state.acceptor->port());
      },
      [self](listener_connections_atom) { return self->state.counter->current(); },
  };
}

} // namespace

transport::transport(std::unique_ptr<impl> x) : impl_(std::move(x)) {}

transport::~transport() = default;

caf::expected<std::shared_ptr<transport>> transport::make(caf::actor_system& sys, io_runner& io,
                                                          broker_ref broker, listener_config cfg,
                                                          std::shared_ptr<sse_event_store> store) {
  std::unique_ptr<impl> x{
      new impl{sys, io, std::move(broker), std::move(cfg), nullptr, nullptr, nullptr, {}, {}, 0}};
  x->counter = std::make_shared<detail::connection_counter>(x->cfg.limits.max_connections);
  if (x->cfg.kind == listener_kind::http) {
    if (x->cfg.tls.enabled()) {
      std::string err;
      x->tls = detail::make_tls_context(x->cfg.tls, err);
      if (!x->tls)
        return caf::make_error(caf::sec::invalid_argument, "TLS: " + err);
    }
    x->http = std::make_shared<http_service>(sys, x->broker, x->cfg, std::move(store));
  }
  return std::make_shared<transport>(std::move(x));
}

caf::expected<caf::actor> transport::spawn_listener() {
  auto& x = *impl_;
  std::uint16_t port = x.cfg.port;
  if (port == 0) {
    std::lock_guard<std::mutex> guard{x.mtx};
    port = x.port;
  }
  auto open = [&](std::uint16_t p) {
    if (x.cfg.kind == listener_kind::tcp) {
      line_session_options opts;
      opts.kind = mcp::transport_kind::tcp;
      opts.broker = x.broker;
      opts.open_timeout = x.cfg.open_timeout;
      opts.eof_grace = x.cfg.limits.read_timeout;
      opts.max_message_bytes = x.cfg.limits.max_message_bytes;
      opts.max_inflight = x.cfg.limits.outbound_queue_max_messages;
      auto* sys = &x.sys;
      auto shared = std::make_shared<const line_session_options>(std::move(opts));
      session_starter starter = [sys, shared](std::shared_ptr<outbound_port> port) {
        return start_line_session(*sys, std::move(port), shared);
      };
      return detail::open_tcp_listener(x.io, x.cfg.host, p, x.cfg.limits, x.counter,
                                       std::move(starter));
    }
    return detail::open_http_listener(x.io, x.cfg.host, p, x.cfg.limits, x.counter, x.http, x.tls);
  };
  auto r = open(port);
  if (!r.acceptor)
    return caf::make_error(caf::sec::cannot_open_port, x.cfg.name + ": " + r.error);
  {
    std::lock_guard<std::mutex> guard{x.mtx};
    x.host = r.acceptor->host();
    x.port = r.acceptor->port();
  }
  x.io.add_closable(r.acceptor);
  return x.sys.spawn(listener_actor, r.acceptor, x.counter);
}

const listener_config& transport::config() const noexcept {
  return impl_->cfg;
}

std::string transport::bound_host() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->host;
}

std::uint16_t transport::bound_port() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->port;
}

std::string transport::describe() const {
  const auto& cfg = impl_->cfg;
  std::string host = bound_host();
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  std::string out = cfg.name + " " + host + ":" + std::to_string(bound_port());
  if (cfg.kind == listener_kind::http) {
    const auto& r = cfg.routes;
    std::string paths;
    auto add = [&](const std::string& p) { paths += (paths.empty() ? "" : ",") + p; };
    if (r.streamable)
      add(r.mcp_path);
    if (r.legacy_sse)
      add(r.sse_path);
    if (r.websocket)
      add(r.ws_path);
    out += paths.find(',') == std::string::npos ? paths : " " + paths;
    if (cfg.tls.enabled())
      out += " (tls)";
  }
  return out;
}

std::uint32_t transport::open_connections() const {
  return impl_->counter->current();
}

std::size_t transport::http_sessions() const {
  if (!impl_->http)
    return 0;
  return impl_->http->streamable_sessions() + impl_->http->legacy_sessions();
}

caf::actor start_stdio(caf::actor_system& sys, io_runner& io, broker_ref broker,
                       const transport_limits& limits, int in_fd, int out_fd,
                       std::function<void()> on_closed) {
  line_session_options opts;
  opts.kind = mcp::transport_kind::stdio;
  opts.broker = std::move(broker);
  opts.eof_grace = limits.read_timeout;
  opts.max_message_bytes = limits.max_message_bytes;
  opts.max_inflight = limits.outbound_queue_max_messages;
  auto spawned = std::make_shared<caf::actor>();
  auto* sysp = &sys;
  session_starter starter = [sysp, opts, spawned](std::shared_ptr<outbound_port> port) {
    return start_line_session(*sysp, std::move(port), opts, spawned.get());
  };
  detail::start_stdio_connection(io, in_fd, out_fd, limits, std::move(starter),
                                 std::move(on_closed));
  return *spawned;
}

} // namespace cafmcp::transports
