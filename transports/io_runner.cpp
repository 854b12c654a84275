#include "cafmcp/transports/io_runner.hpp"

#include <algorithm>
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
  std::mutex mtx;
  std::vector<std::weak_ptr<closable>> closables;
};

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

void io_runner::stop() {
  impl_->guard.reset();
  impl_->ctx.stop();
  for (auto& t : impl_->pool)
    if (t.joinable())
      t.join();
  impl_->pool.clear();
  std::vector<std::weak_ptr<closable>> xs;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    xs.swap(impl_->closables);
  }
  for (auto& weak : xs)
    if (auto x = weak.lock())
      x->close();
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
