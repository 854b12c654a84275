// Newline-delimited JSON-RPC wires: TCP, and stdio (a child process's
// stdin/stdout). Asio only. All handlers of a wire run on its strand; writes
// are queued and coalesced, one async_write at a time.

#include <array>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "cafmcp/client/detail/wire.hpp"

extern char** environ;

namespace cafmcp::client::detail {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using strand_t = net::strand<net::io_context::executor_type>;
using error_code = boost::system::error_code;

// Polls a finished child until it is reaped; kills it if it does not exit
// within the grace period after its stdin closed. Never blocks an io thread
// for longer than one waitpid after SIGKILL.
void reap_child(net::io_context& io, pid_t pid) {
  struct reaper : std::enable_shared_from_this<reaper> {
    reaper(net::io_context& io, pid_t p) : timer(io), pid(p) {}
    net::steady_timer timer;
    pid_t pid;
    int rounds = 0;
    void poll() {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) != 0)
        return;            // reaped (or not ours any more)
      if (++rounds > 40) { // 2 s
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        return;
      }
      timer.expires_after(std::chrono::milliseconds{50});
      timer.async_wait([self = shared_from_this()](const error_code&) { self->poll(); });
    }
  };
  std::make_shared<reaper>(io, pid)->poll();
}

struct tcp_streams {
  explicit tcp_streams(strand_t& ex) : sock(ex), resolver(ex), timer(ex) {}
  tcp::socket& in() { return sock; }
  tcp::socket& out() { return sock; }

  template <class Self, class Done>
  void open(const client_config& cfg, std::shared_ptr<Self> self, Done done) {
    timer.expires_after(cfg.connect_timeout);
    timer.async_wait([self](const error_code& ec) {
      if (!ec)
        self->streams().cancel_connect();
    });
    resolver.async_resolve(cfg.host, std::to_string(cfg.port),
                           [self, done](const error_code& ec, tcp::resolver::results_type results) {
                             if (ec)
                               return done(ec.message());
                             net::async_connect(
                                 self->streams().sock, results,
                                 [self, done](const error_code& ec2, const tcp::endpoint&) {
                                   self->streams().timer.cancel();
                                   if (ec2)
                                     return done(ec2 == net::error::operation_aborted
                                                     ? std::string{"connect timed out"}
                                                     : ec2.message());
                                   error_code ignored;
                                   self->streams().sock.set_option(tcp::no_delay(true), ignored);
                                   done(std::string{});
                                 });
                           });
  }
  void cancel_connect() {
    error_code ec;
    resolver.cancel();
    sock.close(ec);
  }
  void close(net::io_context&) {
    error_code ec;
    timer.cancel();
    resolver.cancel();
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
  }

  tcp::socket sock;
  tcp::resolver resolver;
  net::steady_timer timer;
};

struct stdio_streams {
  explicit stdio_streams(strand_t& ex) : in_(ex), out_(ex) {}
  net::posix::stream_descriptor& in() { return in_; }
  net::posix::stream_descriptor& out() { return out_; }

  template <class Self, class Done>
  void open(const client_config& cfg, std::shared_ptr<Self>, Done done) {
    if (cfg.command.empty())
      return done(std::string{"stdio: empty command"});
    int to_child[2];
    int from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0)
      return done(std::string{"pipe failed"});
    if (::pipe2(from_child, O_CLOEXEC) != 0) {
      ::close(to_child[0]);
      ::close(to_child[1]);
      return done(std::string{"pipe failed"});
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
    if (!cfg.inherit_stderr)
      posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (auto& arg : cfg.command)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    auto rc = ::posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (rc != 0) {
      pid = -1;
      ::close(to_child[1]);
      ::close(from_child[0]);
      return done("cannot start " + cfg.command[0] + ": " + std::strerror(rc));
    }
    in_.assign(from_child[0]);
    out_.assign(to_child[1]);
    done(std::string{});
  }
  void close(net::io_context& io) {
    error_code ec;
    out_.close(ec); // EOF on the child's stdin: it ends its session and exits
    in_.close(ec);
    if (pid > 0)
      reap_child(io, pid);
    pid = -1;
  }

  net::posix::stream_descriptor in_;
  net::posix::stream_descriptor out_;
  pid_t pid = -1;
};

template <class Streams>
class line_wire final : public wire, public std::enable_shared_from_this<line_wire<Streams>> {
public:
  line_wire(net::io_context& io, config_ptr cfg, wire_sink sink)
      : io_(io), strand_(net::make_strand(io)), st_(strand_), cfg_(std::move(cfg)),
        sink_(std::move(sink)) {}

  Streams& streams() { return st_; }

  void start() override {
    net::dispatch(strand_, [self = this->shared_from_this()] {
      self->st_.open(*self->cfg_, self, [self](const std::string& error) {
        if (self->closed_)
          return;
        if (!error.empty()) {
          self->closed_ = true;
          self->sink_.down(client_errc::connection_refused, error);
          self->st_.close(self->io_);
          return;
        }
        self->connected_ = true;
        self->do_read();
        self->do_write();
      });
    });
  }

  void send(std::string text, std::int64_t) override {
    text += '\n';
    net::post(strand_, [self = this->shared_from_this(), text = std::move(text)]() mutable {
      if (self->closed_)
        return;
      self->queue_.push_back(std::move(text));
      self->do_write();
    });
  }

  void close() override {
    net::post(strand_, [self = this->shared_from_this()] { self->shut(); });
  }

private:
  void shut() {
    if (closed_)
      return;
    closed_ = true;
    st_.close(io_);
  }

  void lost(const std::string& why) {
    if (closed_)
      return;
    sink_.down(client_errc::connection_lost, why);
    shut();
  }

  void do_read() {
    st_.in().async_read_some(net::buffer(chunk_), [self = this->shared_from_this()](
                                                      const error_code& ec, size_t n) {
      if (ec)
        return self->lost(ec == net::error::eof ? "server closed the connection" : ec.message());
      self->take(n);
      if (!self->closed_)
        self->do_read();
    });
  }

  // Splits complete lines off the buffer; a trailing '\r' is dropped and
  // blank lines are skipped, like the server does.
  void take(size_t n) {
    buf_.append(chunk_.data(), n);
    size_t start = 0;
    for (;;) {
      auto nl = buf_.find('\n', start);
      if (nl == std::string::npos)
        break;
      auto end = nl;
      if (end > start && buf_[end - 1] == '\r')
        --end;
      if (end > start)
        sink_.message(buf_.substr(start, end - start));
      start = nl + 1;
    }
    buf_.erase(0, start);
    if (buf_.size() > cfg_->max_message_bytes) {
      sink_.down(client_errc::malformed_response, "message over max_message_bytes");
      closed_ = true;
      st_.close(io_);
    }
  }

  void do_write() {
    if (!connected_ || writing_ || queue_.empty() || closed_)
      return;
    writing_ = true;
    // Coalesce what queued up meanwhile into one write.
    out_.clear();
    while (!queue_.empty()) {
      out_ += queue_.front();
      queue_.pop_front();
    }
    net::async_write(st_.out(), net::buffer(out_),
                     [self = this->shared_from_this()](const error_code& ec, size_t) {
                       self->writing_ = false;
                       if (ec)
                         return self->lost(ec.message());
                       self->do_write();
                     });
  }

  net::io_context& io_;
  strand_t strand_;
  Streams st_;
  config_ptr cfg_;
  wire_sink sink_;
  bool connected_ = false;
  bool closed_ = false;
  bool writing_ = false;
  std::deque<std::string> queue_;
  std::string out_;
  std::string buf_;
  std::array<char, 4096> chunk_;
};

} // namespace

wire_ptr make_tcp_wire(net::io_context& io, config_ptr cfg, wire_sink sink) {
  return std::make_shared<line_wire<tcp_streams>>(io, std::move(cfg), std::move(sink));
}

wire_ptr make_stdio_wire(net::io_context& io, config_ptr cfg, wire_sink sink) {
  // Writing to a pipe whose reader died raises SIGPIPE, which would end the
  // whole process; with it ignored the write fails and the wire reports it.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  return std::make_shared<line_wire<stdio_streams>>(io, std::move(cfg), std::move(sink));
}

} // namespace cafmcp::client::detail
