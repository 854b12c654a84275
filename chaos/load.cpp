#include "cafmcp/chaos/load.hpp"

#include <future>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "cafmcp/client/client.hpp"

namespace cafmcp::chaos {

client::client_config client_config_for(const endpoint& ep, std::string name) {
  client::client_config cfg;
  cfg.transport = ep.transport;
  cfg.host = ep.host;
  cfg.port = ep.port;
  cfg.path = ep.path;
  cfg.client_info = {{"name", std::move(name)}, {"version", "1"}};
  return cfg;
}

namespace {

using chl_conn_atom = caf::atom_constant<caf::atom("chl_conn")>;
using chl_tick_atom = caf::atom_constant<caf::atom("chl_tick")>;
using chl_lost_atom = caf::atom_constant<caf::atom("chl_lost")>;
using chl_stop_atom = caf::atom_constant<caf::atom("chl_stop")>;

struct session_args {
  client::client_config cfg;
  std::shared_ptr<session_log> log;
  std::shared_ptr<load_counters> counters;
  std::shared_ptr<std::atomic<std::int64_t>> connect_slots;
  const load_settings* settings;
  std::chrono::milliseconds first_delay;
};

struct session_state {
  session_args args;
  transports::io_runner* io = nullptr;
  caf::actor client;
  bool connected = false;
  bool connecting = false;
  bool holds_slot = false;
  bool stopping = false;
  std::uint32_t incarnation = 0;
  bool identified = false;
  std::uint64_t seq = 0;
  // Bumped on every (re)connect: answers of an older incarnation are ignored.
  std::uint64_t epoch = 0;
};

using session_actor = caf::stateful_actor<session_state>;

std::chrono::milliseconds interval_of(const load_settings& s) {
  auto per_second = std::max(s.calls_per_second, 0.001);
  return std::chrono::milliseconds{static_cast<int64_t>(1000.0 / per_second)};
}

void release_slot(session_actor* self) {
  if (self->state.holds_slot) {
    self->state.holds_slot = false;
    self->state.args.connect_slots->fetch_add(1);
    self->state.args.counters->connecting.fetch_sub(1);
  }
}

void lose_connection(session_actor* self) {
  auto& st = self->state;
  st.args.log->lost();
  if (st.connected) {
    st.connected = false;
    st.args.counters->connected.fetch_sub(1);
  }
  if (!st.connecting && !st.stopping) {
    st.args.counters->reconnects.fetch_add(1);
    self->send(self, chl_conn_atom::value);
  }
}

void connect(session_actor* self) {
  auto& st = self->state;
  if (st.stopping || st.connecting || st.connected)
    return;
  // Only so many handshakes at once: thousands of simultaneous connects would
  // measure the listen backlog instead of the node.
  if (st.args.connect_slots->fetch_sub(1) <= 0) {
    st.args.connect_slots->fetch_add(1);
    self->delayed_send(self, std::chrono::milliseconds{5}, chl_conn_atom::value);
    return;
  }
  st.holds_slot = true;
  st.args.counters->connecting.fetch_add(1);
  st.connecting = true;
  auto epoch = ++st.epoch;
  auto limit = st.args.cfg.connect_timeout + std::chrono::seconds{1};
  self->request(st.client, limit, client::connect_atom::value)
      .then(
          [self, epoch](client::session_info&) {
            auto& st = self->state;
            if (epoch != st.epoch)
              return;
            release_slot(self);
            st.connecting = false;
            st.connected = true;
            st.identified = false;
            st.args.counters->connected.fetch_add(1);
            st.incarnation = st.args.log->opened(steady::now());
            self->send(self, chl_tick_atom::value, epoch);
          },
          [self, epoch](caf::error& err) {
            auto& st = self->state;
            if (epoch != st.epoch)
              return;
            st.args.counters->open_failed(st.args.log->transport(),
                                          client::to_string(client::failure_of(err)));
            release_slot(self);
            st.connecting = false;
            st.args.log->failed_open(steady::now());
            if (!st.stopping)
              self->delayed_send(self, std::chrono::milliseconds{20}, chl_conn_atom::value);
          });
}

// An answer is right when the tool echoed exactly what we sent.
bool echoed(const nlohmann::json& result, const std::string& text) {
  if (!result.is_object() || result.value("isError", false))
    return false;
  auto content = result.find("content");
  return content != result.end() && content->is_array() && !content->empty() &&
         (*content)[0].is_object() && (*content)[0].value("text", std::string{}) == text;
}

void tick(session_actor* self, std::uint64_t epoch) {
  auto& st = self->state;
  if (epoch != st.epoch || !st.connected || st.stopping)
    return;
  auto text = "c" + std::to_string(++st.seq);
  auto started = steady::now();
  client::call_spec spec{"tools/call",
                         {{"name", st.args.settings->tool}, {"arguments", {{"text", text}}}},
                         st.args.settings->call_timeout};
  auto next = [self, epoch, started] {
    auto& st = self->state;
    auto wait = interval_of(*st.args.settings) -
                std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started);
    self->delayed_send(self, std::max(wait, std::chrono::milliseconds{0}), chl_tick_atom::value,
                       epoch);
  };
  self->request(st.client, st.args.settings->call_timeout + std::chrono::seconds{1},
                client::call_atom::value, std::move(spec))
      .then(
          [self, epoch, started, text, next](client::call_reply& reply) {
            auto& st = self->state;
            if (epoch != st.epoch)
              return;
            bool ok = echoed(reply.result, text);
            st.args.log->record({started, steady::now(), st.incarnation, ok});
            (ok ? st.args.counters->ok : st.args.counters->failed).fetch_add(1);
            if (!ok)
              st.args.counters->call_failed(st.args.log->transport(), "wrong answer");
            if (!st.identified) {
              auto sc = reply.result.find("structuredContent");
              if (sc != reply.result.end() && sc->is_object() && sc->contains("session")) {
                auto id = sc->value("session", std::string{});
                auto& pool_of = st.args.settings->pool_of;
                st.args.log->identified(st.incarnation, id, pool_of ? pool_of(id) : std::nullopt);
                st.identified = true;
              }
            }
            next();
          },
          [self, epoch, started, next](caf::error& err) {
            auto& st = self->state;
            if (epoch != st.epoch)
              return;
            st.args.log->record({started, steady::now(), st.incarnation, false});
            st.args.counters->failed.fetch_add(1);
            auto f = client::failure_of(err);
            st.args.counters->call_failed(st.args.log->transport(), client::to_string(f.kind));
            switch (f.kind) {
            case client::client_errc::session_expired:
            case client::client_errc::connection_lost:
            case client::client_errc::not_connected:
            case client::client_errc::closed:
            case client::client_errc::http_status:
              lose_connection(self);
              return;
            default:
              next();
            }
          });
}

caf::behavior load_session(session_actor* self, transports::io_runner* io, session_args args) {
  self->state.args = std::move(args);
  self->state.io = io;
  auto cfg = self->state.args.cfg;
  // The client tells us when its connection ends on its own (server gone):
  // re-initialize at once instead of waiting for the next call to fail.
  auto weak = self->address();
  cfg.handlers.disconnected = [weak](const client::client_failure&) {
    if (auto me = caf::actor_cast<caf::actor>(weak))
      caf::anon_send(me, chl_lost_atom::value);
  };
  self->state.client = client::spawn_client(self->system(), *io, std::move(cfg));
  self->delayed_send(self, self->state.args.first_delay, chl_conn_atom::value);
  return {
      [self](chl_conn_atom) { connect(self); },
      [self](chl_tick_atom, std::uint64_t epoch) { tick(self, epoch); },
      [self](chl_lost_atom) {
        if (self->state.connected)
          lose_connection(self);
      },
      [self](chl_stop_atom) {
        auto& st = self->state;
        st.stopping = true;
        ++st.epoch;
        release_slot(self);
        if (st.connected)
          st.args.counters->connected.fetch_sub(1);
        st.connected = false;
        // Close the MCP session (DELETE, close frame, EOF), then end.
        self->request(st.client, std::chrono::seconds{5}, client::close_atom::value)
            .then([self](caf::unit_t) { self->quit(); }, [self](caf::error&) { self->quit(); });
      },
  };
}

} // namespace

void load_counters::open_failed(const std::string& transport, std::string why) {
  std::lock_guard<std::mutex> guard{mtx_};
  last_open_error_[transport] = std::move(why);
}

void load_counters::call_failed(const std::string& transport, const std::string& kind) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++call_failures_[transport + " " + kind];
}

std::map<std::string, std::uint64_t> load_counters::call_failures() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return call_failures_;
}

std::string load_counters::open_failures() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::string out;
  for (auto& [transport, why] : last_open_error_)
    out += (out.empty() ? "" : "; ") + transport + ": " + why;
  return out;
}

load_driver::load_driver(caf::actor_system& sys, transports::io_runner& io,
                         std::vector<endpoint> endpoints, load_settings settings)
    : sys_(sys), io_(io), endpoints_(std::move(endpoints)), settings_(std::move(settings)) {}

load_driver::~load_driver() {
  stop();
}

caf::expected<double> load_driver::start(std::chrono::milliseconds limit) {
  if (endpoints_.empty())
    return caf::make_error(caf::sec::runtime_error, "the target serves no transport to load");
  auto slots = std::make_shared<std::atomic<std::int64_t>>(
      static_cast<std::int64_t>(std::max<std::size_t>(settings_.max_connecting, 1)));
  std::mt19937_64 rng{settings_.seed};
  auto interval = interval_of(settings_);
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(interval.count() - 1, 0));
  auto began = steady::now();
  for (std::size_t i = 0; i < settings_.sessions; ++i) {
    auto& ep = endpoints_[i % endpoints_.size()];
    auto cfg = client_config_for(ep, "cafmcp-chaos");
    cfg.request_timeout = settings_.call_timeout;
    cfg.connect_timeout = std::chrono::milliseconds{10000};
    // The standalone GET stream tells an HTTP client at once that its session ended.
    cfg.open_get_stream = ep.transport == client::client_transport::http;
    auto log = std::make_shared<session_log>(client::to_string(ep.transport));
    logs_.push_back(log);
    session_args args{std::move(cfg), log,        counters_,
                      slots,          &settings_, std::chrono::milliseconds{jitter(rng) % 50}};
    sessions_.push_back(sys_.spawn(load_session, &io_, std::move(args)));
  }
  if (!await_connected(began + limit))
    return caf::make_error(
        caf::sec::runtime_error,
        std::to_string(settings_.sessions - static_cast<std::size_t>(std::max<std::int64_t>(
                                                counters_->connected.load(), 0))) +
            " of " + std::to_string(settings_.sessions) +
            " load sessions did not initialize in time; last failures: " +
            counters_->open_failures());
  return std::chrono::duration<double, std::milli>(steady::now() - began).count();
}

bool load_driver::await_connected(steady::time_point deadline) const {
  // A condition polled with a deadline: the sessions report through atomics,
  // not through messages to this thread.
  while (counters_->connected.load() < static_cast<std::int64_t>(settings_.sessions)) {
    if (steady::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return true;
}

void load_driver::stop() {
  if (sessions_.empty())
    return;
  caf::scoped_actor self{sys_};
  for (auto& s : sessions_) {
    self->monitor(s);
    self->send(s, chl_stop_atom::value);
  }
  std::size_t down = 0;
  bool late = false;
  while (down < sessions_.size() && !late)
    self->receive([&](caf::down_msg&) { ++down; },
                  caf::after(std::chrono::seconds{10}) >> [&] { late = true; });
  sessions_.clear();
  // The clients closed their connections by posting to the io threads; let
  // those handlers run before anybody stops the io_runner, or a connection
  // and its wire, which hold each other until closed, would never be freed.
  for (int round = 0; round < 2; ++round) {
    auto done = std::make_shared<std::promise<void>>();
    auto ran = done->get_future();
    boost::asio::post(io_.context(), [done] { done->set_value(); });
    ran.wait_for(std::chrono::seconds{2});
  }
}

std::optional<std::pair<std::size_t, std::string>>
load_driver::pick_session(std::mt19937_64& rng) const {
  if (logs_.empty())
    return std::nullopt;
  // Start at a random session and take the first one that knows its id.
  auto first = rng() % logs_.size();
  for (std::size_t k = 0; k < logs_.size(); ++k) {
    auto i = (first + k) % logs_.size();
    auto id = logs_[i]->current_session();
    if (!id.empty())
      return std::make_pair(i, id);
  }
  return std::nullopt;
}

} // namespace cafmcp::chaos
