#pragma once
// A misbehaving peer for the error tests: accepts connections on 127.0.0.1
// (port 0), reads one request (a line, or an HTTP request with its body),
// answers with canned bytes and keeps the socket open until the test ends.
// Plain POSIX sockets on its own thread; every wait is bounded.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace client_test {

class fake_server {
public:
  // `reply` is written after each complete request; `http` selects framing.
  fake_server(std::string reply, bool http);
  ~fake_server();
  std::uint16_t port() const noexcept { return port_; }
  int requests() const noexcept { return requests_.load(); }

private:
  void run();
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string reply_;
  bool http_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

} // namespace client_test
