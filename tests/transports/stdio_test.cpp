// stdio: newline-delimited JSON-RPC on two descriptors (pipes here).

#include <condition_variable>
#include <mutex>

#include <poll.h>
#include <unistd.h>

#include "fixture.hpp"

using namespace cafmcp::test;

namespace {

struct pipe_pair {
  int read_fd = -1;
  int write_fd = -1;
  pipe_pair() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    read_fd = fds[0];
    write_fd = fds[1];
  }
};

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    auto n = ::write(fd, s.data(), s.size());
    if (n <= 0)
      return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads one line from `fd`; nullopt on EOF or after `limit`. `eof` tells which.
std::optional<std::string> read_line(int fd, std::string& buf, bool& eof,
                                     std::chrono::milliseconds limit = 10s) {
  auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto nl = buf.find('\n');
    if (nl != std::string::npos) {
      auto line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    until - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0)
      return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0)
      return std::nullopt;
    char tmp[4096];
    auto n = ::read(fd, tmp, sizeof(tmp));
    if (n <= 0) {
      eof = true;
      return std::nullopt;
    }
    buf.append(tmp, static_cast<std::size_t>(n));
  }
}

} // namespace

TEST_CASE_FIXTURE(transport_fixture,
                  "stdio: lines are framed over pipes and EOF ends the session cleanly") {
  pipe_pair to_server, from_server;
  tr::transport_limits limits;
  limits.max_message_bytes = 2000;
  auto session =
      tr::start_stdio(sys(), io(), broker_ref(), limits, to_server.read_fd, from_server.write_fd);
  REQUIRE(session);
  caf::scoped_actor self{sys()};
  self->monitor(session);
  std::string buf;
  bool eof = false;
  auto init = initialize();
  // A message in pieces, then two in one write.
  REQUIRE(write_all(to_server.write_fd, init.substr(0, 10)));
  REQUIRE(write_all(to_server.write_fd, init.substr(10) + "\n"));
  auto line = read_line(from_server.read_fd, buf, eof);
  REQUIRE(line);
  CHECK(parse(*line)["result"]["serverInfo"]["name"] == "echo");
  REQUIRE(write_all(to_server.write_fd,
                    request(2, "echo", {{"a", 1}}) + "\n" + request(3, "echo", {{"a", 2}}) + "\n"));
  line = read_line(from_server.read_fd, buf, eof);
  REQUIRE(line);
  CHECK(parse(*line)["id"] == 2);
  line = read_line(from_server.read_fd, buf, eof);
  REQUIRE(line);
  CHECK(parse(*line)["id"] == 3);
  // Oversized: an error with a null id, and the session goes on.
  REQUIRE(write_all(to_server.write_fd, std::string(5000, ' ') + "{}\n"));
  line = read_line(from_server.read_fd, buf, eof);
  REQUIRE(line);
  CHECK(parse(*line)["error"]["code"] == -32600);
  // Only MCP on stdout: every line so far parsed as JSON-RPC. Now a slow
  // request, then EOF: the answer still comes, then stdout closes.
  REQUIRE(write_all(to_server.write_fd, request(4, "slow", {{"ms", 150}}) + "\n"));
  ::close(to_server.write_fd);
  line = read_line(from_server.read_fd, buf, eof);
  REQUIRE(line);
  CHECK(parse(*line)["id"] == 4);
  CHECK(!read_line(from_server.read_fd, buf, eof));
  CHECK(eof);
  caf::error reason = caf::sec::runtime_error;
  bool down = false;
  self->receive(
      [&](caf::down_msg& dm) {
        down = true;
        reason = dm.reason;
      },
      caf::after(10s) >> [] {});
  CHECK(down);
  CHECK(!reason); // a normal exit
  CHECK(world->wait_count("close:" + world->last_session(), 1));
  ::close(from_server.read_fd);
}

TEST_CASE_FIXTURE(transport_fixture, "stdio: EOF with nothing in flight ends at once") {
  pipe_pair to_server, from_server;
  auto session = tr::start_stdio(sys(), io(), broker_ref(), tr::transport_limits{},
                                 to_server.read_fd, from_server.write_fd);
  caf::scoped_actor self{sys()};
  self->monitor(session);
  ::close(to_server.write_fd);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(10s) >> [] {});
  CHECK(down);
  std::string buf;
  bool eof = false;
  CHECK(!read_line(from_server.read_fd, buf, eof));
  CHECK(eof);
  ::close(from_server.read_fd);
}

TEST_CASE_FIXTURE(transport_fixture,
                  "stdio: the closed event comes after the last answer was written at EOF") {
  pipe_pair to_server, from_server;
  std::mutex mtx;
  std::condition_variable cv;
  bool closed = false;
  auto session = tr::start_stdio(sys(), io(), broker_ref(), tr::transport_limits{},
                                 to_server.read_fd, from_server.write_fd, [&] {
                                   std::lock_guard<std::mutex> guard{mtx};
                                   closed = true;
                                   cv.notify_all();
                                 });
  REQUIRE(session);
  REQUIRE(write_all(to_server.write_fd, initialize() + "\n"));
  std::string buf;
  bool eof = false;
  REQUIRE(read_line(from_server.read_fd, buf, eof));
  // A slow request, then EOF: not closed while the answer is pending.
  REQUIRE(write_all(to_server.write_fd, request(2, "slow", {{"ms", 300}}) + "\n"));
  ::close(to_server.write_fd);
  {
    std::unique_lock<std::mutex> lock{mtx};
    CHECK(!cv.wait_for(lock, 100ms, [&] { return closed; }));
  }
  // The event: by then the answer is in the pipe and the write end is closed.
  {
    std::unique_lock<std::mutex> lock{mtx};
    CHECK(cv.wait_for(lock, 10s, [&] { return closed; }));
  }
  auto line = read_line(from_server.read_fd, buf, eof, 1s);
  REQUIRE(line);
  CHECK(parse(*line)["id"] == 2);
  CHECK(!read_line(from_server.read_fd, buf, eof, 1s));
  CHECK(eof);
  ::close(from_server.read_fd);
}
