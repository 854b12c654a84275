// Issue #8: an idle connection holds no read buffer beyond its unfinished
// message. The connections are asked through their read_buffer_probe (on
// their strand, so the answer is exact), not through the process RSS.
// Each test also shows that the probe sees a buffer while one is needed, so
// it cannot pass by reporting nothing.

#include <condition_variable>
#include <mutex>
#include <optional>

#include <doctest/doctest.h>

#include "cafmcp/transports/detail/asio_glue.hpp"
#include "cafmcp/transports/detail/read_buffer_probe.hpp"
#include "cafmcp/transports/io_runner.hpp"
#include "test_client.hpp"

using namespace cafmcp::test;
namespace tr = cafmcp::transports;
namespace detail = cafmcp::transports::detail;
using namespace std::chrono_literals;

namespace {

// An empty std::string keeps 15 bytes inline; nothing else may be held.
constexpr std::size_t idle_bound = 32;

/// What the connection under test reported, for the test thread.
struct observed {
  std::mutex mtx;
  std::condition_variable cv;
  std::shared_ptr<tr::outbound_port> port;
  std::vector<std::string> messages;

  tr::inbound_handlers handlers() {
    tr::inbound_handlers h;
    h.on_message = [this](std::string m) {
      std::lock_guard<std::mutex> guard{mtx};
      messages.push_back(std::move(m));
      cv.notify_all();
    };
    h.on_closed = [] {};
    return h;
  }

  void set_port(std::shared_ptr<tr::outbound_port> p) {
    std::lock_guard<std::mutex> guard{mtx};
    port = std::move(p);
    cv.notify_all();
  }

  std::shared_ptr<tr::outbound_port> wait_port() {
    std::unique_lock<std::mutex> lock{mtx};
    cv.wait_for(lock, io_deadline, [&] { return port != nullptr; });
    return port;
  }

  bool wait_messages(std::size_t n) {
    std::unique_lock<std::mutex> lock{mtx};
    return cv.wait_for(lock, io_deadline, [&] { return messages.size() >= n; });
  }

  std::string message(std::size_t i) {
    std::lock_guard<std::mutex> guard{mtx};
    return messages.at(i);
  }
};

/// The bytes of read buffer `port` holds, asked on its strand.
std::optional<std::size_t> held_read_bytes(tr::outbound_port& port) {
  auto* probe = dynamic_cast<detail::read_buffer_probe*>(&port);
  REQUIRE(probe != nullptr);
  auto answer = std::make_shared<std::pair<std::mutex, std::optional<std::size_t>>>();
  auto cv = std::make_shared<std::condition_variable>();
  probe->probe_read_buffers([answer, cv](std::size_t n) {
    std::lock_guard<std::mutex> guard{answer->first};
    answer->second = n;
    cv->notify_all();
  });
  std::unique_lock<std::mutex> lock{answer->first};
  cv->wait_for(lock, io_deadline, [&] { return answer->second.has_value(); });
  return answer->second;
}

/// Waits until the connection holds at most `bound` bytes (a read may still
/// be in flight when the test asks).
bool settles_at_most(tr::outbound_port& port, std::size_t bound) {
  return eventually([&] {
    auto n = held_read_bytes(port);
    return n && *n <= bound;
  });
}

bool grows_to_at_least(tr::outbound_port& port, std::size_t bound) {
  return eventually([&] {
    auto n = held_read_bytes(port);
    return n && *n >= bound;
  });
}

/// An HTTP application that keeps the ports it is given: a GET opens an SSE
/// stream and leaves it open; a WebSocket upgrade is accepted.
class keeping_handler final : public tr::http_handler {
public:
  explicit keeping_handler(observed& obs) : obs_(obs) {}
  void handle(tr::http_request, std::shared_ptr<tr::http_stream_port> port) override {
    port->open_sse({{"Content-Type", "text/event-stream"}});
    port->send(": open\n\n");
    obs_.set_port(std::move(port));
  }
  bool is_websocket_route(const tr::http_request& req) const override {
    return req.path() == "/ws";
  }
  int check_websocket(const tr::http_request&) const override { return 0; }
  tr::inbound_handlers start_websocket(std::shared_ptr<tr::outbound_port> port) override {
    obs_.set_port(std::move(port));
    return obs_.handlers();
  }

private:
  observed& obs_;
};

struct io_fixture {
  io_fixture() { io.start(); }
  ~io_fixture() { io.stop(); }
  tr::io_runner io{1};
  std::shared_ptr<detail::connection_counter> counter =
      std::make_shared<detail::connection_counter>(16);
  tr::transport_limits limits;
};

} // namespace

TEST_CASE_FIXTURE(io_fixture,
                  "idle buffers: a TCP line connection holds only its unfinished line") {
  observed obs;
  auto listener = detail::open_tcp_listener(io, "127.0.0.1", 0, limits, counter,
                                            [&obs](std::shared_ptr<tr::outbound_port> port) {
                                              obs.set_port(port);
                                              return obs.handlers();
                                            });
  REQUIRE(listener.acceptor);
  line_client c{listener.acceptor->port()};
  REQUIRE(c.ok());
  auto port = obs.wait_port();
  REQUIRE(port);
  CHECK(settles_at_most(*port, idle_bound)); // connected, nothing read yet

  // A line arriving in pieces is kept, and only it.
  std::string big(100 * 1024, 'x');
  REQUIRE(c.send_raw(big));
  CHECK(grows_to_at_least(*port, big.size()));
  REQUIRE(c.send_raw("\n{\"small\":1}\n"));
  REQUIRE(obs.wait_messages(2));
  CHECK(obs.message(0).size() == big.size());
  CHECK(obs.message(1) == "{\"small\":1}");
  CHECK(settles_at_most(*port, idle_bound));
  listener.acceptor->close();
}

TEST_CASE_FIXTURE(io_fixture,
                  "idle buffers: a WebSocket connection holds no buffer between messages") {
  observed obs;
  auto listener = detail::open_http_listener(io, "127.0.0.1", 0, limits, counter,
                                             std::make_shared<keeping_handler>(obs), nullptr);
  REQUIRE(listener.acceptor);
  ws_client c{listener.acceptor->port()};
  REQUIRE(c.ok());
  auto res = c.handshake("/ws");
  REQUIRE(res);
  REQUIRE(res->status == 101);
  auto port = obs.wait_port();
  REQUIRE(port);
  CHECK(settles_at_most(*port, idle_bound));

  std::string big(200 * 1024, 'y');
  REQUIRE(c.send_text(big));
  REQUIRE(c.send_text("{\"small\":1}"));
  REQUIRE(c.send_text(""));
  REQUIRE(obs.wait_messages(3));
  CHECK(obs.message(0) == big);
  CHECK(obs.message(1) == "{\"small\":1}");
  CHECK(obs.message(2).empty());
  CHECK(settles_at_most(*port, idle_bound));

  // Half a frame (masked with a zero key, so the payload is plain): the
  // connection holds what it has of the message until the rest arrives.
  std::string head{"\x81\xfe\x03\xe8\x00\x00\x00\x00", 8}; // text, 1000 bytes
  REQUIRE(c.raw().write(head + std::string(500, 'z')));
  CHECK(grows_to_at_least(*port, 500));
  REQUIRE(c.raw().write(std::string(500, 'z')));
  REQUIRE(obs.wait_messages(4));
  CHECK(obs.message(3) == std::string(1000, 'z'));
  CHECK(settles_at_most(*port, idle_bound));

  // Pings are still answered between messages (the pong is written before
  // the next message is read, so it precedes "hello").
  REQUIRE(c.send_ping("idle"));
  REQUIRE(c.send_text("after"));
  REQUIRE(obs.wait_messages(5));
  REQUIRE(port->send("hello"));
  auto text = c.recv_text();
  REQUIRE(text);
  CHECK(*text == "hello");
  CHECK(c.pongs_seen == 1);
  listener.acceptor->close();
}

TEST_CASE_FIXTURE(io_fixture,
                  "idle buffers: an HTTP connection holds no buffer while its SSE stream is open") {
  observed obs;
  auto listener = detail::open_http_listener(io, "127.0.0.1", 0, limits, counter,
                                             std::make_shared<keeping_handler>(obs), nullptr);
  REQUIRE(listener.acceptor);
  http_client c{listener.acceptor->port()};
  REQUIRE(c.ok());
  REQUIRE(c.send("GET", "/mcp", {{"Accept", "text/event-stream"}}));
  auto port = obs.wait_port();
  REQUIRE(port);
  auto head = c.read_head();
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(settles_at_most(*port, 0)); // the request was parsed: buffer and parser gone

  // Bytes the client sends meanwhile are kept for after the exchange.
  REQUIRE(c.raw().write("GET /next HTTP/1.1\r\n"));
  CHECK(grows_to_at_least(*port, 1));
  listener.acceptor->close();
}
