// Newline-delimited JSON-RPC connections (TCP and stdio): Asio only, no CAF.
//
// One connection object per socket (or stdin/stdout pair), all of its
// handlers on one strand. Reading frames lines by hand so that an oversized
// line can be skipped (the session answers -32600 and the connection stays);
// writing drains a bounded queue, one async_write at a time.
//
// An idle connection holds no read buffer (issue #8: a 64 KiB member made
// every TCP session cost 76 KB). It waits for readability, then reads
// without blocking into a scratch buffer of its io thread and keeps only the
// unfinished line, if any, in its own string.

#include <atomic>
#include <chrono>
#include <cstring>
#include <list>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "cafmcp/transports/detail/acceptor_impl.hpp"
#include "cafmcp/transports/detail/asio_glue.hpp"
#include "cafmcp/transports/detail/outbound_budget.hpp"
#include "cafmcp/transports/detail/read_buffer_probe.hpp"

namespace cafmcp::transports::detail {

namespace {

// A timer typed with the connection's strand (see strand_t).
using strand_timer =
    net::basic_waitable_timer<std::chrono::steady_clock,
                              net::wait_traits<std::chrono::steady_clock>, strand_t>;

/// The buffer every line connection of this io thread reads into. Only used
/// between a completed wait and the synchronous consume() that follows, so
/// connections never share it across a suspension. Allocated (and paged in)
/// by the first read on the thread.
net::mutable_buffer read_scratch() {
  static constexpr std::size_t size = 64 * 1024;
  thread_local std::unique_ptr<char[]> buf{new char[size]};
  return net::buffer(buf.get(), size);
}

struct tcp_streams {
  explicit tcp_streams(strand_socket s) : sock(std::move(s)) {
    boost::system::error_code ec;
    sock.set_option(tcp::no_delay(true), ec);
  }
  using timer = strand_timer;
  strand_socket& in() { return sock; }
  strand_socket& out() { return sock; }
  auto executor() { return sock.get_executor(); }
  void close() {
    boost::system::error_code ec;
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
  }
  // Before close(): what the kernel still holds for the peer is dropped and
  // the peer gets a reset, instead of the kernel trickling it out to a
  // client that stopped reading.
  void discard_unsent() {
    boost::system::error_code ec;
    sock.set_option(net::socket_base::linger(true, 0), ec);
  }
  strand_socket sock;
};

struct stdio_streams {
  stdio_streams(const strand_t& ex, int in_fd, int out_fd) : in_(ex, in_fd), out_(ex, out_fd) {}
  // Boost 1.74 cannot move a descriptor with a strand type: one stdio
  // session per process keeps the type-erased executor.
  using timer = net::steady_timer;
  net::posix::stream_descriptor& in() { return in_; }
  net::posix::stream_descriptor& out() { return out_; }
  auto executor() { return in_.get_executor(); }
  void close() {
    boost::system::error_code ec;
    in_.close(ec);
    out_.close(ec);
  }
  void discard_unsent() {} // a pipe has no such option
  net::posix::stream_descriptor in_;
  net::posix::stream_descriptor out_;
};

template <class Streams>
class line_connection final : public outbound_port,
                              public read_buffer_probe,
                              public io_runner::stoppable,
                              public std::enable_shared_from_this<line_connection<Streams>> {
public:
  line_connection(Streams streams, const transport_limits& limits, connection_slot slot,
                  bool timeouts)
      : slot_(std::move(slot)), st_(std::move(streams)), read_timer_(st_.executor()),
        write_timer_(st_.executor()),
        budget_(limits.outbound_queue_max_messages, limits.outbound_queue_max_bytes),
        limits_(limits), timeouts_(timeouts) {}

  // Before start(): runs once, on the strand, after the streams are closed.
  void set_on_shutdown(std::function<void()> f) { on_shutdown_ = std::move(f); }

  // On the io thread that created the connection, before any other use.
  void start(const session_starter& starter) {
    slot_.bind(this->weak_from_this()); // stop() closes this connection now
    handlers_ = starter(this->shared_from_this());
    net::dispatch(st_.executor(), [self = this->shared_from_this()] {
      // read_some() after a wait must never block the io thread.
      boost::system::error_code ec;
      self->st_.in().non_blocking(true, ec);
      if (ec) {
        self->shutdown();
        return;
      }
      self->do_read();
    });
  }

  bool send(std::string message) override {
    if (closed_.load())
      return false;
    message.push_back('\n');
    auto n = message.size();
    if (!budget_.admit(n)) {
      // The client stopped reading: drop it rather than buffer without bound.
      net::post(st_.executor(), [self = this->shared_from_this()] {
        self->st_.discard_unsent();
        self->shutdown();
      });
      return false;
    }
    net::post(st_.executor(), [self = this->shared_from_this(), m = std::move(message)]() mutable {
      self->enqueue(std::move(m));
    });
    return true;
  }

  void close() override {
    net::post(st_.executor(), [self = this->shared_from_this()] {
      self->close_requested_ = true;
      self->maybe_write();
    });
  }

  bool closed() const noexcept override { return closed_.load(); }

  void stop_now() override {
    net::post(st_.executor(), [self = this->shared_from_this()] { self->shutdown(); });
  }

  void probe_read_buffers(std::function<void(std::size_t)> report) override {
    net::post(st_.executor(), [self = this->shared_from_this(), r = std::move(report)] {
      r(self->line_.capacity());
    });
  }

private:
  // Waits without a buffer: an idle connection holds only its partial line.
  void do_read() {
    if (done_)
      return;
    arm_read_deadline();
    using input = std::decay_t<decltype(st_.in())>;
    st_.in().async_wait(
        input::wait_read,
        [self = this->shared_from_this()](boost::system::error_code ec) { self->on_readable(ec); });
  }

  // One read per wakeup, then wait again: a client that keeps sending gets
  // 64 KiB per turn and the thread's other connections get theirs.
  void on_readable(boost::system::error_code ec) {
    if (done_)
      return;
    if (ec) {
      shutdown();
      return;
    }
    auto scratch = read_scratch();
    auto n = st_.in().read_some(scratch, ec);
    if (ec == net::error::would_block) {
      do_read(); // woken without data
      return;
    }
    on_read(ec, static_cast<const char*>(scratch.data()), n);
  }

  void on_read(boost::system::error_code ec, const char* data, std::size_t n) {
    if (ec == net::error::eof && handlers_.on_eof) {
      // The peer sent everything it will send; the session answers what is
      // in flight, then closes (close()).
      consume(data, n);
      input_ended_ = true;
      ++read_gen_;
      read_timer_.cancel();
      auto on_eof = std::move(handlers_.on_eof);
      handlers_.on_eof = nullptr;
      on_eof();
      return;
    }
    if (ec) {
      shutdown();
      return;
    }
    consume(data, n);
    if (!done_)
      do_read();
  }

  void consume(const char* data, std::size_t n) {
    const char* end = data + n;
    while (data != end) {
      auto* nl =
          static_cast<const char*>(std::memchr(data, '\n', static_cast<std::size_t>(end - data)));
      auto chunk = static_cast<std::size_t>((nl ? nl : end) - data);
      if (discarding_) {
        discarded_ += chunk;
      } else {
        if (line_.empty() && chunk > 0)
          line_started_ = std::chrono::steady_clock::now();
        line_.append(data, chunk);
        if (line_.size() > limits_.max_message_bytes) {
          discarding_ = true;
          discarded_ = line_.size();
          std::string{}.swap(line_);
        }
      }
      if (!nl)
        return;
      data = nl + 1;
      if (discarding_) {
        discarding_ = false;
        if (handlers_.on_too_large)
          handlers_.on_too_large(discarded_);
        discarded_ = 0;
        continue;
      }
      if (!line_.empty() && line_.back() == '\r')
        line_.pop_back();
      if (!line_.empty() && handlers_.on_message)
        handlers_.on_message(std::move(line_));
      // Moved from, or a blank line: give back what a skipped line grew.
      std::string{}.swap(line_);
    }
  }

  // Idle: no byte for idle_timeout. Partial line (or a skipped one): it must
  // complete within read_timeout of its first byte (slowloris).
  void arm_read_deadline() {
    if (!timeouts_)
      return;
    ++read_gen_;
    if (line_.empty() && !discarding_)
      read_timer_.expires_after(limits_.idle_timeout);
    else
      read_timer_.expires_at(line_started_ + limits_.read_timeout);
    read_timer_.async_wait(
        [w = this->weak_from_this(), gen = read_gen_](boost::system::error_code ec) {
          auto self = w.lock();
          if (!ec && self && gen == self->read_gen_)
            self->shutdown();
        });
  }

  void enqueue(std::string m) {
    if (done_) {
      budget_.release(m.size());
      return;
    }
    out_.push_back(std::move(m));
    maybe_write();
  }

  void maybe_write() {
    if (done_ || writing_)
      return;
    if (out_.empty()) {
      if (close_requested_)
        shutdown();
      return;
    }
    writing_ = true;
    ++write_gen_;
    if (timeouts_) {
      write_timer_.expires_after(limits_.read_timeout);
      write_timer_.async_wait(
          [w = this->weak_from_this(), gen = write_gen_](boost::system::error_code ec) {
            auto self = w.lock();
            if (!ec && self && gen == self->write_gen_ && self->writing_)
              self->shutdown();
          });
    }
    net::async_write(st_.out(), net::buffer(out_.front()),
                     [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                       self->on_write(ec);
                     });
  }

  void on_write(boost::system::error_code ec) {
    writing_ = false;
    ++write_gen_;
    if (!out_.empty()) {
      budget_.release(out_.front().size());
      out_.pop_front();
    }
    if (ec) {
      shutdown();
      return;
    }
    maybe_write();
  }

  void shutdown() {
    if (done_)
      return;
    done_ = true;
    closed_.store(true);
    ++read_gen_;
    ++write_gen_;
    read_timer_.cancel();
    write_timer_.cancel();
    st_.close();
    for (auto& m : out_)
      budget_.release(m.size());
    out_.clear();
    slot_.release_count();
    auto on_closed = std::move(handlers_.on_closed);
    handlers_ = {};
    if (on_closed)
      on_closed();
    if (auto f = std::move(on_shutdown_))
      f();
  }

  connection_slot slot_; // first: destroyed last (connection_slot)
  Streams st_;
  typename Streams::timer read_timer_;
  typename Streams::timer write_timer_;
  outbound_budget budget_;
  transport_limits limits_;
  bool timeouts_;
  inbound_handlers handlers_;
  std::function<void()> on_shutdown_;
  std::string line_; // the unfinished line; nothing while idle
  std::chrono::steady_clock::time_point line_started_{};
  bool discarding_ = false;
  bool input_ended_ = false;
  std::size_t discarded_ = 0;
  std::list<std::string> out_; // unlike std::deque, allocates nothing while empty
  bool writing_ = false;
  bool close_requested_ = false;
  bool done_ = false;
  std::atomic<bool> closed_{false};
  std::uint64_t read_gen_ = 0;
  std::uint64_t write_gen_ = 0;
};

} // namespace

open_result open_tcp_listener(io_runner& io, const std::string& host, std::uint16_t port,
                              const transport_limits& limits,
                              std::shared_ptr<connection_counter> counter,
                              session_starter starter) {
  auto on_accept = [&io, limits, counter, starter = std::move(starter)](strand_socket socket) {
    if (!counter->try_acquire()) {
      boost::system::error_code ec;
      socket.close(ec);
      return;
    }
    auto conn = std::make_shared<line_connection<tcp_streams>>(
        tcp_streams{std::move(socket)}, limits, connection_slot{counter, io.track()}, true);
    conn->start(starter);
  };
  return open_acceptor(io, host, port, std::move(on_accept));
}

std::shared_ptr<outbound_port> start_stdio_connection(io_runner& io, int in_fd, int out_fd,
                                                      const transport_limits& limits,
                                                      session_starter starter,
                                                      std::function<void()> on_closed) {
  auto ex = net::make_strand(io.context());
  auto conn = std::make_shared<line_connection<stdio_streams>>(
      stdio_streams{ex, in_fd, out_fd}, limits, connection_slot{nullptr, io.track()}, false);
  conn->set_on_shutdown(std::move(on_closed));
  conn->start(starter);
  return conn;
}

} // namespace cafmcp::transports::detail
