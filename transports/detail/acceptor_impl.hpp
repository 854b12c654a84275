#pragma once
// The accept loop shared by the TCP and HTTP listeners (Asio only; included
// by line_io.cpp and http_plain.cpp). Each accepted socket gets its own
// strand. close() may come from any thread (the listener actor's state
// destructor): a mutex orders it against the loop re-arming async_accept, so
// the port is free once close() returned.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "cafmcp/transports/detail/asio_glue.hpp"

namespace cafmcp::transports::detail {

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// A connection's own strand, and a socket bound to it by type. Asio ops on
/// an object with a type-erased executor (tcp::socket) allocate a copy of a
/// strand for every pending wait; with the strand's own type they do not,
/// which matters for connections that idle with a read and a timer pending.
using strand_t = net::strand<net::io_context::executor_type>;
using strand_socket = net::basic_stream_socket<tcp, strand_t>;

/// Resolves "localhost" and literal addresses without DNS; other names go
/// through a (blocking) resolver, which only happens at listener start.
inline tcp::endpoint resolve_listen_endpoint(net::io_context& ioc, const std::string& host,
                                             std::uint16_t port, boost::system::error_code& ec) {
  if (host.empty() || host == "localhost")
    return {net::ip::make_address("127.0.0.1"), port};
  auto addr = net::ip::make_address(host == "[::1]" ? std::string{"::1"} : host, ec);
  if (!ec)
    return {addr, port};
  ec.clear();
  tcp::resolver resolver{ioc};
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    if (!ec)
      ec = net::error::host_not_found;
    return {};
  }
  return results.begin()->endpoint();
}

template <class OnAccept>
class acceptor_core final : public acceptor_handle,
                            public std::enable_shared_from_this<acceptor_core<OnAccept>> {
public:
  acceptor_core(net::io_context& ioc, OnAccept on_accept)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), retry_(acceptor_.get_executor()),
        on_accept_(std::move(on_accept)) {}

  static open_result open(io_runner& io, const std::string& host, std::uint16_t port,
                          OnAccept on_accept) {
    auto& ioc = io.context();
    auto self = std::make_shared<acceptor_core>(ioc, std::move(on_accept));
    boost::system::error_code ec;
    auto ep = resolve_listen_endpoint(ioc, host, port, ec);
    auto fail = [&](const char* what) {
      return open_result{nullptr, std::string{what} + " " + host + ":" + std::to_string(port) +
                                      ": " + ec.message()};
    };
    if (ec)
      return fail("cannot resolve");
    self->acceptor_.open(ep.protocol(), ec);
    if (ec)
      return fail("cannot open socket for");
    self->acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    self->acceptor_.bind(ep, ec);
    if (ec)
      return fail("cannot bind");
    self->acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return fail("cannot listen on");
    auto local = self->acceptor_.local_endpoint(ec);
    self->host_ = local.address().to_string();
    self->port_ = local.port();
    {
      std::lock_guard<std::mutex> guard{self->mtx_};
      self->arm();
    }
    return open_result{self, {}};
  }

  std::string host() const override { return host_; }
  std::uint16_t port() const override { return port_; }

  void close() override {
    std::lock_guard<std::mutex> guard{mtx_};
    if (closed_)
      return;
    closed_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
  }

private:
  // Requires mtx_.
  void arm() {
    if (closed_)
      return;
    acceptor_.async_accept(
        net::make_strand(ioc_),
        [self = this->shared_from_this()](boost::system::error_code ec, strand_socket socket) {
          self->on_accept(ec, std::move(socket));
        });
  }

  // OnAccept takes a strand_socket, or a tcp::socket (converted).
  void on_accept(boost::system::error_code ec, strand_socket socket) {
    if (ec == net::error::operation_aborted)
      return;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning.
      std::lock_guard<std::mutex> guard{mtx_};
      if (closed_)
        return;
      retry_.expires_after(std::chrono::milliseconds{50});
      retry_.async_wait([self = this->shared_from_this()](boost::system::error_code wec) {
        if (wec)
          return;
        std::lock_guard<std::mutex> guard{self->mtx_};
        self->arm();
      });
      return;
    }
    on_accept_(std::move(socket));
    std::lock_guard<std::mutex> guard{mtx_};
    arm();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  OnAccept on_accept_;
  std::mutex mtx_;
  bool closed_ = false;
  std::string host_;
  std::uint16_t port_ = 0;
};

template <class OnAccept>
open_result open_acceptor(io_runner& io, const std::string& host, std::uint16_t port,
                          OnAccept on_accept) {
  return acceptor_core<OnAccept>::open(io, host, port, std::move(on_accept));
}

} // namespace cafmcp::transports::detail
