#pragma once
// The Asio side of the node: one io_context and the threads that run it.
//
// Size it together with CAF's scheduler (split_threads): on a 2-core machine
// CAF gets 2 workers and Asio 1 thread. Declare the io_runner after the
// actor_system and stop() it before the system shuts down, so connection
// objects (and the actor handles they hold) die first.

#include <cstddef>
#include <memory>
#include <thread>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace cafmcp::transports {

struct thread_split {
  std::size_t caf_threads;
  std::size_t io_threads;
};

/// CAF keeps one worker per core (max-threads = cores was about 2x faster
/// than CAF's default on 2 cores); Asio gets a quarter of the cores, at least
/// one. 2 cores -> {2, 1}; 8 cores -> {8, 2}. `cores` 0 means "ask the OS".
thread_split split_threads(unsigned cores = 0);

class io_runner {
public:
  explicit io_runner(std::size_t threads = 1);
  ~io_runner();
  io_runner(const io_runner&) = delete;
  io_runner& operator=(const io_runner&) = delete;

  /// Starts the threads (idempotent). The context keeps running without work.
  void start();
  /// Stops the context, joins the threads and closes every registered
  /// closable (the acceptors). Pending handlers, and the connections they
  /// keep alive, are destroyed with the io_runner. Idempotent.
  void stop();

  /// Something (an acceptor) that must be closed before the context goes
  /// away, from whatever thread. Registered weakly.
  struct closable {
    virtual ~closable() = default;
    virtual void close() = 0;
  };
  void add_closable(std::weak_ptr<closable> x);

  bool running() const noexcept;
  std::size_t threads() const noexcept;
  boost::asio::io_context& context() noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace cafmcp::transports
