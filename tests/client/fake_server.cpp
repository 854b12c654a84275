#include "fake_server.hpp"

#include <chrono>
#include <cstring>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.hpp"

namespace client_test {

namespace {

int listen_on_loopback(std::uint16_t& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(fd, 16);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

// True once `buf` holds a whole request.
bool complete(const std::string& buf, bool http) {
  if (!http)
    return buf.find('\n') != std::string::npos;
  auto end = buf.find("\r\n\r\n");
  if (end == std::string::npos)
    return false;
  auto cl = buf.find("Content-Length: ");
  if (cl == std::string::npos)
    cl = buf.find("content-length: ");
  size_t body = cl == std::string::npos ? 0 : std::stoul(buf.substr(cl + 16));
  return buf.size() >= end + 4 + body;
}

} // namespace

uint16_t unused_port() {
  uint16_t port = 0;
  int fd = listen_on_loopback(port);
  ::close(fd);
  return port;
}

fake_server::fake_server(std::string reply, bool http)
    : fake_server(std::vector<rule>{{"", std::move(reply), false}}, http) {}

fake_server::fake_server(std::vector<rule> rules, bool http)
    : rules_(std::move(rules)), http_(http) {
  fd_ = listen_on_loopback(port_);
  thread_ = std::thread{[this] { run(); }};
}

fake_server::~fake_server() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

void fake_server::run() {
  std::vector<int> peers;
  std::vector<std::string> bufs;
  while (!stop_) {
    std::vector<pollfd> fds;
    fds.push_back({fd_, POLLIN, 0});
    for (int p : peers)
      fds.push_back({p, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 50) <= 0)
      continue;
    if (fds[0].revents & POLLIN) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) {
        peers.push_back(c);
        ++connections_;
        bufs.emplace_back();
      }
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP)))
        continue;
      char tmp[4096];
      auto n = ::read(fds[i].fd, tmp, sizeof tmp);
      if (n <= 0) {
        ::close(peers[i - 1]);
        peers[i - 1] = -1;
        continue;
      }
      auto& buf = bufs[i - 1];
      buf.append(tmp, static_cast<size_t>(n));
      if (complete(buf, http_)) {
        const rule* match = nullptr;
        for (auto& r : rules_)
          if (buf.find(r.needle) != std::string::npos) {
            match = &r;
            break;
          }
        {
          std::lock_guard<std::mutex> guard{mtx_};
          received_.push_back(buf);
        }
        buf.clear();
        ++requests_;
        if (match) {
          if (match->delay_ms > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds{match->delay_ms});
          auto w = ::write(fds[i].fd, match->reply.data(), match->reply.size());
          (void)w;
          if (match->close_after) {
            ::close(peers[i - 1]);
            peers[i - 1] = -1;
          }
        }
      }
    }
    for (size_t i = peers.size(); i-- > 0;)
      if (peers[i] < 0) {
        peers.erase(peers.begin() + static_cast<long>(i));
        bufs.erase(bufs.begin() + static_cast<long>(i));
      }
  }
  for (int p : peers)
    if (p >= 0)
      ::close(p);
}

} // namespace client_test
