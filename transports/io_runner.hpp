#pragma once
// The Asio side of the node: one io_context and the threads that run it.
//
// Size it together with CAF's scheduler (split_threads): on a 2-core machine
// CAF gets 2 workers and Asio 1 thread. Declare the io_runner after the
// actor_system and stop() it before the system shuts down: stop() closes
// every connection and waits until they are gone, so none (nor the actor
// handles it holds) outlives the context or the system.

#include <chrono>
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
  struct impl;

public:
  explicit io_runner(std::size_t threads = 1);
  ~io_runner();
  io_runner(const io_runner&) = delete;
  io_runner& operator=(const io_runner&) = delete;

  /// Starts the threads (idempotent). The context keeps running without work.
  void start();
  /// Closes every registered closable (the acceptors) and every tracked
  /// connection, waits up to `grace` until no tracked connection is left,
  /// then stops the context and joins the threads. Idempotent. Returns how
  /// many connections were still alive when the grace ran out (0 is the
  /// safe case: those left are destroyed with the io_runner, and nothing
  /// may drop its last handle to one after that).
  std::size_t stop(std::chrono::milliseconds grace = std::chrono::seconds{2});

  /// Something (an acceptor) that must be closed before the context goes
  /// away, from whatever thread. Registered weakly.
  struct closable {
    virtual ~closable() = default;
    virtual void close() = 0;
  };
  void add_closable(std::weak_ptr<closable> x);

  /// A connection as stop() sees it: asked to close at once, from stop()'s
  /// thread (post to your own strand).
  struct stoppable {
    virtual ~stoppable() = default;
    virtual void stop_now() = 0;
  };

  /// A connection's entry in its runner's list of live connections, held
  /// by the connection as its first member so that it leaves the list last.
  /// stop() waits for the list to empty: otherwise a CAF thread that drops
  /// the last handle to a connection (a session actor ending) could destroy
  /// its socket, or post to it, while the io_context is being destroyed.
  /// An intrusive list: no allocation per connection. Movable (a WebSocket
  /// upgrade hands it from the HTTP connection to the WebSocket one).
  class connection_entry {
  public:
    connection_entry() noexcept = default;
    connection_entry(connection_entry&& other) noexcept;
    connection_entry& operator=(connection_entry&& other) noexcept;
    connection_entry(const connection_entry&) = delete;
    connection_entry& operator=(const connection_entry&) = delete;
    ~connection_entry();

    /// The connection stop() closes (after make_shared, or after a move).
    void bind(std::weak_ptr<stoppable> target);

  private:
    friend class io_runner;
    void leave() noexcept;
    void unlink() noexcept;                               // requires the runner's mutex
    void take_place_of(connection_entry& other) noexcept; // idem
    io_runner::impl* runner_ = nullptr;
    connection_entry* prev_ = nullptr;
    connection_entry* next_ = nullptr;
    std::weak_ptr<stoppable> target_;
  };

  /// A new entry, listed until it is destroyed.
  connection_entry track();
  std::size_t live_connections() const;

  bool running() const noexcept;
  std::size_t threads() const noexcept;
  boost::asio::io_context& context() noexcept;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace cafmcp::transports
