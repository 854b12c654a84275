#pragma once
// A misbehaving peer for the error tests: accepts connections on 127.0.0.1
// (port 0), reads one request (a line, or an HTTP request with its body),
// answers with canned bytes and keeps the socket open until the test ends.
// Plain POSIX sockets on its own thread; every wait is bounded.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace client_test {

class fake_server {
public:
  // The first rule whose `needle` occurs in a request answers it; with
  // `close_after` the connection is closed once the reply is written.
  struct rule {
    std::string needle;
    std::string reply;
    bool close_after = false;
    int delay_ms = 0; // a slow answer (the whole fake server waits)
  };

  // `reply` is written after each complete request; `http` selects framing.
  fake_server(std::string reply, bool http);
  fake_server(std::vector<rule> rules, bool http);
  ~fake_server();
  std::uint16_t port() const noexcept { return port_; }
  int requests() const noexcept { return requests_.load(); }
  int connections() const noexcept { return connections_.load(); }
  // Every complete request received so far, in order.
  std::vector<std::string> received() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return received_;
  }

private:
  void run();
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<rule> rules_;
  bool http_;
  mutable std::mutex mtx_;
  std::vector<std::string> received_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

} // namespace client_test
