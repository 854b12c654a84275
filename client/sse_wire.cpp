// The legacy HTTP+SSE wire (2024-11-05): GET `path` (default /sse) opens the
// session; its first event, "endpoint", names the URL to POST messages to
// (/messages?sessionId=...), each answered 202; every server message comes
// as an "event: message" on the GET stream. Closing that stream ends the
// session. Asio only; Beast is behind http_conn.

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>

#include "cafmcp/client/detail/http_conn.hpp"
#include "cafmcp/client/detail/wire.hpp"
#include "cafmcp/client/sse_parser.hpp"

namespace cafmcp::client::detail {

namespace {

namespace net = boost::asio;

// The endpoint event may carry a path or an absolute URL; we need the path.
std::string target_of(const std::string& endpoint) {
  auto scheme = endpoint.find("://");
  if (scheme == std::string::npos)
    return endpoint;
  auto slash = endpoint.find('/', scheme + 3);
  return slash == std::string::npos ? std::string{"/"} : endpoint.substr(slash);
}

class sse_wire final : public wire, public std::enable_shared_from_this<sse_wire> {
public:
  sse_wire(net::io_context& io, config_ptr cfg, wire_sink sink)
      : strand_(net::make_strand(io)), cfg_(std::move(cfg)), sink_(std::move(sink)),
        parser_(cfg_->max_message_bytes) {}

  void start() override {
    net::dispatch(strand_, [self = shared_from_this()] { self->open(); });
  }

  void send(std::string text, std::int64_t tag) override {
    net::post(strand_, [self = shared_from_this(), text = std::move(text), tag]() mutable {
      if (self->closed_)
        return;
      if (self->endpoint_.empty())
        self->waiting_.emplace_back(std::move(text), tag);
      else
        self->post_message(std::move(text), tag, false);
    });
  }

  void close() override {
    net::post(strand_, [self = shared_from_this()] { self->shut(); });
  }

private:
  void open() {
    stream_ = make_http_conn(strand_, cfg_->host, cfg_->port, cfg_->connect_timeout);
    http_request req;
    req.method = "GET";
    req.target = cfg_->effective_path();
    req.headers.emplace_back("Accept", "text/event-stream");
    http_callbacks cb;
    auto self = shared_from_this();
    cb.head = [self](const http_head& h) { self->status_ = h.status; };
    cb.body = [self](std::string_view bytes) {
      if (self->closed_ || self->status_ != 200)
        return;
      for (auto& ev : self->parser_.feed(bytes)) {
        if (ev.event == "endpoint") {
          self->endpoint_ = target_of(ev.data);
          auto sid = self->endpoint_.find("sessionId=");
          if (sid != std::string::npos)
            self->sink_.session(
                self->endpoint_.substr(sid + 10, self->endpoint_.find('&', sid) - sid - 10));
          auto waiting = std::move(self->waiting_);
          self->waiting_.clear();
          for (auto& w : waiting)
            self->post_message(std::move(w.first), w.second, false);
        } else if ((ev.event.empty() || ev.event == "message") && !ev.data.empty()) {
          self->sink_.message(std::move(ev.data));
        }
      }
      if (self->parser_.overflow())
        self->lost(client_errc::malformed_response, "SSE event over max_message_bytes");
    };
    cb.done = [self](const std::string& error, bool connect_failed, bool) {
      if (self->closed_)
        return;
      if (connect_failed)
        return self->lost(client_errc::connection_refused, error);
      if (self->status_ != 200)
        return self->lost(client_errc::connection_refused, "GET " + self->cfg_->effective_path() +
                                                               ": HTTP " +
                                                               std::to_string(self->status_));
      self->lost(client_errc::connection_lost,
                 error.empty() ? std::string{"server ended the SSE stream"} : error);
    };
    stream_->run(std::move(req), std::move(cb));
  }

  std::shared_ptr<http_conn> take_conn() {
    auto i = std::find_if(posts_.begin(), posts_.end(), [](auto& c) { return c->idle(); });
    if (i != posts_.end())
      return *i;
    auto c = make_http_conn(strand_, cfg_->host, cfg_->port, cfg_->connect_timeout);
    posts_.push_back(c);
    return c;
  }

  void post_message(std::string text, std::int64_t tag, bool retried) {
    auto conn = take_conn();
    http_request req;
    req.method = "POST";
    req.target = endpoint_;
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = text;
    auto status = std::make_shared<int>(0);
    auto body = std::make_shared<std::string>();
    http_callbacks cb;
    auto self = shared_from_this();
    cb.head = [status](const http_head& h) { *status = h.status; };
    cb.body = [body](std::string_view b) {
      if (body->size() < 512)
        body->append(b.data(), std::min<std::size_t>(b.size(), 512));
    };
    cb.done = [self, status, body, tag, retried, text = std::move(text),
               weak = std::weak_ptr<http_conn>{conn}](const std::string& error, bool connect_failed,
                                                      bool stale) mutable {
      if (auto c = weak.lock(); c && !c->idle())
        self->posts_.erase(std::remove(self->posts_.begin(), self->posts_.end(), c),
                           self->posts_.end());
      if (self->closed_ || tag == 0)
        return;
      if (*status == 0) {
        if (stale && !retried)
          return self->post_message(std::move(text), tag, true);
        return self->sink_.failure(
            tag, connect_failed ? client_errc::connection_refused : client_errc::connection_lost,
            error);
      }
      if (*status == 202 || *status == 200)
        return;
      auto detail = "HTTP " + std::to_string(*status) + (body->empty() ? "" : ": " + *body);
      self->sink_.failure(tag,
                          *status == 404 ? client_errc::session_expired : client_errc::http_status,
                          detail, *status);
    };
    conn->run(std::move(req), std::move(cb));
  }

  void lost(client_errc kind, const std::string& why) {
    if (closed_)
      return;
    sink_.down(kind, why);
    shut();
  }

  void shut() {
    if (closed_)
      return;
    closed_ = true;
    if (stream_)
      stream_->close(); // ends the session on the server
    for (auto& c : posts_)
      c->close();
    posts_.clear();
  }

  http_strand strand_;
  config_ptr cfg_;
  wire_sink sink_;
  sse_parser parser_;
  std::shared_ptr<http_conn> stream_;
  std::vector<std::shared_ptr<http_conn>> posts_;
  std::deque<std::pair<std::string, std::int64_t>> waiting_;
  std::string endpoint_;
  int status_ = 0;
  bool closed_ = false;
};

} // namespace

wire_ptr make_sse_wire(net::io_context& io, config_ptr cfg, wire_sink sink) {
  return std::make_shared<sse_wire>(io, std::move(cfg), std::move(sink));
}

} // namespace cafmcp::client::detail
