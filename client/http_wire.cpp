// The Streamable HTTP wire (MCP 2025-11-25): every message is a POST to the
// endpoint; the answer comes back as a JSON body or as an SSE stream. The
// session id from initialize's response and, after initialize, the
// negotiated MCP-Protocol-Version go on every request. A dropped SSE stream
// is resumed with GET + Last-Event-ID; close() DELETEs the session.
// Asio only; Beast is behind http_conn.

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include "cafmcp/client/detail/http_conn.hpp"
#include "cafmcp/client/detail/wire.hpp"
#include "cafmcp/client/sse_parser.hpp"

namespace cafmcp::client::detail {

namespace {

namespace net = boost::asio;

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// True when `text` is the response (or error) to our request `tag`: after
// it, a stream that ends owes us nothing more.
bool answers(const std::string& text, std::int64_t tag) {
  if (tag == 0 || text.find("\"id\"") == std::string::npos)
    return false;
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() && j.contains("id") && j["id"].is_number_integer() &&
         j["id"].get<std::int64_t>() == tag && (j.contains("result") || j.contains("error"));
}

class http_wire final : public wire, public std::enable_shared_from_this<http_wire> {
public:
  http_wire(net::io_context& io, config_ptr cfg, wire_sink sink)
      : strand_(net::make_strand(io)), cfg_(std::move(cfg)), sink_(std::move(sink)),
        path_(cfg_->effective_path()) {}

  void start() override {} // connections open on demand

  void send(std::string text, std::int64_t tag) override {
    net::post(strand_, [self = shared_from_this(), text = std::move(text), tag]() mutable {
      if (!self->closed_)
        self->post_message(std::move(text), tag, false);
    });
  }

  void initialized(std::string protocol_version) override {
    net::post(strand_, [self = shared_from_this(), v = std::move(protocol_version)]() mutable {
      self->version_ = std::move(v);
      if (self->cfg_->open_get_stream && !self->closed_)
        self->open_stream(0, {}, 0);
    });
  }

  void close() override {
    net::post(strand_, [self = shared_from_this()] { self->shut(); });
  }

private:
  // The state of one response stream (of a POST, or the standalone GET).
  struct stream_state {
    std::int64_t tag = 0;
    bool is_sse = false;
    bool answered = false;
    bool quick = false; // a POSTed notification or response (202 expected)
    int status = 0;
    std::string body; // JSON body, or an error body
    std::string last_event_id;
    long retry_ms = 1000;
    int resumes_left = 0;
    std::chrono::steady_clock::time_point opened_at = std::chrono::steady_clock::now();
    sse_parser parser;
    explicit stream_state(std::size_t max) : parser(max) {}
  };

  std::shared_ptr<http_conn> take_conn() {
    auto i = std::find_if(conns_.begin(), conns_.end(), [](auto& c) { return c->idle(); });
    if (i != conns_.end())
      return *i;
    auto c = make_http_conn(strand_, cfg_->host, cfg_->port, cfg_->connect_timeout);
    conns_.push_back(c);
    return c;
  }

  void forget(const std::shared_ptr<http_conn>& c) {
    conns_.erase(std::remove(conns_.begin(), conns_.end(), c), conns_.end());
  }

  std::vector<std::pair<std::string, std::string>> session_headers() const {
    std::vector<std::pair<std::string, std::string>> h;
    if (!session_id_.empty())
      h.emplace_back("Mcp-Session-Id", session_id_);
    if (!version_.empty())
      h.emplace_back("MCP-Protocol-Version", version_);
    return h;
  }

  bool has_idle() const {
    return std::any_of(conns_.begin(), conns_.end(), [](auto& c) { return c->idle(); });
  }

  // Runs parked messages once a connection is free again.
  void unpark() {
    while (!parked_.empty() && !closed_ && (has_idle() || quick_inflight_ == 0)) {
      auto next = std::move(parked_.front());
      parked_.pop_front();
      post_message(std::move(next.first), next.second, false);
    }
  }

  // A 202 that does not come within 500 ms must not hold the parked
  // messages back: they go out on connections of their own.
  void arm_park_timer() {
    if (park_timer_armed_)
      return;
    park_timer_armed_ = true;
    park_timer_.expires_after(std::chrono::milliseconds{500});
    park_timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
      self->park_timer_armed_ = false;
      auto parked = std::move(self->parked_);
      self->parked_.clear();
      for (auto& p : parked)
        if (!self->closed_)
          self->post_message(std::move(p.first), p.second, false, false);
    });
  }

  void post_message(std::string text, std::int64_t tag, bool retried, bool may_park = true) {
    // A POSTed notification or response is answered 202 at once. Rather than
    // open another connection while one is in flight, wait for its
    // connection: a client then keeps one connection in the usual case
    // (15,000 clients are 15,000 sockets, not 30,000).
    if (may_park && !retried && quick_inflight_ > 0 && !has_idle()) {
      parked_.emplace_back(std::move(text), tag);
      arm_park_timer();
      return;
    }
    http_request req;
    req.method = "POST";
    req.target = path_;
    req.headers = session_headers();
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("Accept", "application/json, text/event-stream");
    req.body = text;
    auto st = std::make_shared<stream_state>(cfg_->max_message_bytes);
    st->tag = tag;
    st->resumes_left = cfg_->max_stream_resumes;
    if (tag == 0) {
      st->quick = true;
      ++quick_inflight_;
    }
    exchange(std::move(req), st,
             [self = shared_from_this(), text = std::move(text), tag, retried](bool stale) mutable {
               // A kept-alive connection the server had closed: once more, fresh.
               if (stale && !retried && !self->closed_) {
                 self->post_message(std::move(text), tag, true);
                 return true;
               }
               return false;
             });
  }

  // Runs one request whose response may be JSON, SSE or empty. `retry`
  // decides whether a stale-connection failure is retried (returns true).
  void exchange(http_request req, std::shared_ptr<stream_state> st,
                std::function<bool(bool stale)> retry = nullptr) {
    auto conn = take_conn();
    http_callbacks cb;
    auto self = shared_from_this();
    cb.head = [self, st](const http_head& h) {
      st->status = h.status;
      st->is_sse = h.status == 200 && starts_with(h.content_type, "text/event-stream");
      if (!h.session_id.empty() && self->session_id_.empty()) {
        self->session_id_ = h.session_id;
        self->sink_.session(h.session_id);
      }
    };
    cb.body = [self, st](std::string_view bytes) {
      if (self->closed_)
        return;
      if (!st->is_sse) {
        if (st->body.size() < self->cfg_->max_message_bytes + 1)
          st->body.append(bytes.data(), bytes.size());
        return;
      }
      for (auto& ev : st->parser.feed(bytes)) {
        if (!ev.id.empty())
          st->last_event_id = ev.id;
        if (ev.retry)
          st->retry_ms = *ev.retry;
        if (ev.data.empty())
          continue; // the priming event
        if (ev.event.empty() || ev.event == "message") {
          st->resumes_left = self->cfg_->max_stream_resumes; // progress: budget again
          if (answers(ev.data, st->tag))
            st->answered = true;
          self->sink_.message(std::move(ev.data));
        }
      }
    };
    // Weakly: the connection holds this callback until the exchange ends.
    cb.done = [self, st, weak = std::weak_ptr<http_conn>{conn},
               retry](const std::string& error, bool connect_failed, bool stale) {
      if (auto c = weak.lock(); c && !c->idle())
        self->forget(c);
      if (st->quick) {
        st->quick = false;
        --self->quick_inflight_;
      }
      if (self->closed_)
        return;
      if (!error.empty() && retry && st->status == 0 && retry(stale)) {
        self->unpark();
        return;
      }
      self->ended(*st, error, connect_failed);
      self->unpark();
    };
    conn->run(std::move(req), std::move(cb));
  }

  void ended(stream_state& st, const std::string& error, bool connect_failed) {
    if (st.status == 0) {
      // No response at all.
      if (st.tag != 0)
        sink_.failure(
            st.tag, connect_failed ? client_errc::connection_refused : client_errc::connection_lost,
            error);
      else if (connect_failed && session_id_.empty())
        sink_.down(client_errc::connection_refused, error);
      else if (connect_failed)
        // The standalone stream cannot reconnect: the server is gone.
        sink_.down(client_errc::connection_lost, error);
      return;
    }
    if (st.status == 200 && !st.is_sse) {
      if (!error.empty() && st.tag != 0)
        return sink_.failure(st.tag, client_errc::connection_lost, error);
      if (!st.body.empty())
        sink_.message(std::move(st.body));
      return;
    }
    if (st.status == 200 && st.tag == 0) {
      // The standalone stream ended. Open it again: the server may end it at
      // any time, and when the session itself ended (its server died), the
      // new GET is answered 404 and the client learns it at once instead of
      // at its next request. At once after a stream that lived, after the
      // server's retry delay when streams keep ending quickly.
      bool lived = std::chrono::steady_clock::now() - st.opened_at > std::chrono::seconds{1};
      if (!lived && st.resumes_left <= 0)
        return;
      // Posted: not from inside the ending exchange's completion, and on a
      // fresh connection (the server may be closing the one it ended).
      net::post(strand_, [self = shared_from_this(), last = st.last_event_id,
                          delay = lived ? 0L : st.retry_ms,
                          budget = lived ? cfg_->max_stream_resumes : st.resumes_left - 1] {
        self->open_stream(0, last, delay, budget);
      });
      return;
    }
    if (st.status == 200) {
      // An SSE stream ended: resume it if we still wait for something on it.
      bool owed = !st.answered;
      if (!owed)
        return;
      if (!st.last_event_id.empty() && st.resumes_left > 0 && !session_id_.empty()) {
        open_stream(st.tag, st.last_event_id, st.retry_ms, st.resumes_left - 1);
        return;
      }
      if (st.tag != 0)
        sink_.failure(st.tag, client_errc::connection_lost,
                      error.empty() ? "stream ended before the response" : error);
      return;
    }
    if (st.status == 202)
      return;
    if (st.tag == 0 && st.status == 405)
      return; // the server offers no standalone GET stream
    auto detail = "HTTP " + std::to_string(st.status) +
                  (st.body.empty() ? std::string{} : ": " + st.body.substr(0, 512));
    auto kind = st.status == 404 && !session_id_.empty() ? client_errc::session_expired
                                                         : client_errc::http_status;
    if (st.tag != 0)
      sink_.failure(st.tag, kind, detail, st.status);
    else if (kind == client_errc::session_expired)
      sink_.down(kind, detail);
  }

  // GET stream: the standalone one (tag 0, no id) or the resumption of a
  // POST's stream after `delay_ms`.
  void open_stream(std::int64_t tag, std::string last_event_id, long delay_ms,
                   int resumes_left = -1) {
    auto go = [self = shared_from_this(), tag, last_event_id, resumes_left] {
      if (self->closed_)
        return;
      http_request req;
      req.method = "GET";
      req.target = self->path_;
      req.headers = self->session_headers();
      req.headers.emplace_back("Accept", "text/event-stream");
      if (!last_event_id.empty())
        req.headers.emplace_back("Last-Event-ID", last_event_id);
      auto st = std::make_shared<stream_state>(self->cfg_->max_message_bytes);
      st->tag = tag;
      st->last_event_id = last_event_id;
      st->resumes_left = resumes_left < 0 ? self->cfg_->max_stream_resumes : resumes_left;
      self->exchange(std::move(req), st);
    };
    if (delay_ms <= 0)
      return go();
    auto timer = std::make_shared<net::steady_timer>(strand_);
    timer->expires_after(std::chrono::milliseconds{std::min(delay_ms, 5000L)});
    timer->async_wait([timer, go](const boost::system::error_code&) { go(); });
  }

  void shut() {
    if (closed_)
      return;
    closed_ = true;
    park_timer_.cancel();
    auto open = std::move(conns_);
    conns_.clear();
    for (auto& c : open)
      c->close();
    if (session_id_.empty())
      return;
    // Tell the server we are done with the session (best effort).
    http_request req;
    req.method = "DELETE";
    req.target = path_;
    req.headers = session_headers();
    auto conn = make_http_conn(strand_, cfg_->host, cfg_->port, std::chrono::milliseconds{2000});
    http_callbacks cb;
    cb.done = [weak = std::weak_ptr<http_conn>{conn}](const std::string&, bool, bool) {
      if (auto c = weak.lock())
        c->close();
    };
    conn->run(std::move(req), std::move(cb));
  }

  http_strand strand_;
  config_ptr cfg_;
  wire_sink sink_;
  std::string path_;
  std::string session_id_;
  std::string version_;
  std::vector<std::shared_ptr<http_conn>> conns_;
  std::deque<std::pair<std::string, std::int64_t>> parked_;
  boost::asio::steady_timer park_timer_{strand_};
  bool park_timer_armed_ = false;
  int quick_inflight_ = 0;
  bool closed_ = false;
};

} // namespace

wire_ptr make_http_wire(net::io_context& io, config_ptr cfg, wire_sink sink) {
  return std::make_shared<http_wire>(io, std::move(cfg), std::move(sink));
}

} // namespace cafmcp::client::detail
