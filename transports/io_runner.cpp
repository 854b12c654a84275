#include "cafmcp/transports/io_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace cafmcp::transports {

thread_split split_threads(unsigned cores) {
  if (cores == 0)
    cores = std::max(1u, std::thread::hardware_concurrency());
  return {cores, std::max<std::size_t>(1, cores / 4)};
}

struct io_runner::impl {
  explicit impl(std::size_t n)
      : threads(std::max<std::size_t>(1, n)), ctx(static_cast<int>(threads)) {}
  std::size_t threads;
  boost::asio::io_context ctx;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::vector<std::thread> pool;
  mutable std::mutex mtx;
  std::vector<std::weak_ptr<closable>> closables;
  // The live connections (connection_entry), guarded by mtx.
  connection_entry* head = nullptr;
  std::size_t live = 0;
  std::condition_variable none_live;
};

// -- connection_entry ---------------------------------------------------------

void io_runner::connection_entry::unlink() noexcept {
  if (prev_)
    prev_->next_ = next_;
  else
    runner_->head = next_;
  if (next_)
    next_->prev_ = prev_;
  prev_ = next_ = nullptr;
}

void io_runner::connection_entry::take_place_of(connection_entry& other) noexcept {
  runner_ = other.runner_;
  prev_ = other.prev_;
  next_ = other.next_;
  if (prev_)
    prev_->next_ = this;
  else
    runner_->head = this;
  if (next_)
    next_->prev_ = this;
  target_ = std::move(other.target_);
  other.runner_ = nullptr;
  other.prev_ = other.next_ = nullptr;
}

io_runner::connection_entry::connection_entry(connection_entry&& other) noexcept {
  if (!other.runner_)
    return;
  std::lock_guard<std::mutex> guard{other.runner_->mtx};
  take_place_of(other);
}

io_runner::connection_entry&
io_runner::connection_entry::operator=(connection_entry&& other) noexcept {
  if (this == &other)
    return *this;
  leave();
  if (other.runner_) {
    std::lock_guard<std::mutex> guard{other.runner_->mtx};
    take_place_of(other);
  }
  return *this;
}

io_runner::connection_entry::~connection_entry() {
  leave();
}

void io_runner::connection_entry::leave() noexcept {
  auto* r = runner_;
  if (!r)
    return;
  std::lock_guard<std::mutex> guard{r->mtx};
  unlink();
  runner_ = nullptr;
  target_.reset();
  if (--r->live == 0)
    r->none_live.notify_all();
}

void io_runner::connection_entry::bind(std::weak_ptr<stoppable> target) {
  if (!runner_)
    return;
  std::lock_guard<std::mutex> guard{runner_->mtx};
  target_ = std::move(target);
}

io_runner::connection_entry io_runner::track() {
  connection_entry e;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    e.runner_ = impl_.get();
    e.next_ = impl_->head;
    if (e.next_)
      e.next_->prev_ = &e;
    impl_->head = &e;
    ++impl_->live;
  }
  // Unless the move is elided, the returned object takes this one's place
  // in the list, under the mutex again: it must be free here.
  return e;
}

std::size_t io_runner::live_connections() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->live;
}

// -- io_runner ----------------------------------------------------------------

io_runner::io_runner(std::size_t threads) : impl_(std::make_unique<impl>(threads)) {}

io_runner::~io_runner() {
  stop();
}

void io_runner::start() {
  if (!impl_->pool.empty())
    return;
  impl_->ctx.restart();
  impl_->guard.emplace(impl_->ctx.get_executor());
  for (std::size_t i = 0; i < impl_->threads; ++i)
    impl_->pool.emplace_back([this] { impl_->ctx.run(); });
}

std::size_t io_runner::stop(std::chrono::milliseconds grace) {
  std::vector<std::weak_ptr<closable>> xs;
  std::vector<std::shared_ptr<stoppable>> conns;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    xs.swap(impl_->closables);
    for (auto* e = impl_->head; e; e = e->next_)
      if (auto c = e->target_.lock())
        conns.push_back(std::move(c));
  }
  // No new connections, then every open one closes on its strand; each
  // leaves the list when the last handle to it is gone (its handlers done,
  // its session actor ended). Beast's servers stop the same way.
  for (auto& weak : xs)
    if (auto x = weak.lock())
      x->close();
  for (auto& c : conns)
    c->stop_now();
  conns.clear();
  std::size_t left = 0;
  {
    // Without threads no handler runs, and nothing closes: no use waiting.
    std::unique_lock<std::mutex> guard{impl_->mtx};
    if (!impl_->pool.empty())
      impl_->none_live.wait_for(guard, grace, [this] { return impl_->live == 0; });
    left = impl_->live;
  }
  impl_->guard.reset();
  impl_->ctx.stop();
  for (auto& t : impl_->pool)
    if (t.joinable())
      t.join();
  impl_->pool.clear();
  return left;
}

void io_runner::add_closable(std::weak_ptr<closable> x) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->closables.erase(std::remove_if(impl_->closables.begin(), impl_->closables.end(),
                                        [](const auto& w) { return w.expired(); }),
                         impl_->closables.end());
  impl_->closables.push_back(std::move(x));
}

bool io_runner::running() const noexcept {
  return !impl_->pool.empty();
}

std::size_t io_runner::threads() const noexcept {
  return impl_->threads;
}

boost::asio::io_context& io_runner::context() noexcept {
  return impl_->ctx;
}

} // namespace cafmcp::transports
