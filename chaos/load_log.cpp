#include "cafmcp/chaos/load_log.hpp"

namespace cafmcp::chaos {

std::uint32_t session_log::opened(steady::time_point at) {
  std::lock_guard<std::mutex> guard{mtx_};
  incarnations_.push_back({at, {}, std::nullopt});
  return static_cast<std::uint32_t>(incarnations_.size() - 1);
}

void session_log::identified(std::uint32_t inc, std::string session_id,
                             std::optional<std::size_t> pool) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (inc < incarnations_.size()) {
    incarnations_[inc].session_id = std::move(session_id);
    incarnations_[inc].pool = pool;
    lost_ = inc + 1 < incarnations_.size();
  }
}

void session_log::lost() {
  std::lock_guard<std::mutex> guard{mtx_};
  lost_ = true;
}

void session_log::record(call_record r) {
  std::lock_guard<std::mutex> guard{mtx_};
  calls_.push_back(r);
}

void session_log::failed_open(steady::time_point) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++failed_opens_;
}

std::vector<incarnation> session_log::incarnations() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return incarnations_;
}

std::vector<call_record> session_log::calls() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return calls_;
}

std::size_t session_log::failed_opens() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return failed_opens_;
}

std::string session_log::current_session() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return incarnations_.empty() || lost_ ? std::string{} : incarnations_.back().session_id;
}

std::optional<std::size_t> session_log::pool_at(steady::time_point t) const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::optional<std::size_t> out;
  for (auto& i : incarnations_) {
    if (i.opened > t)
      break;
    out = i.pool;
  }
  return out;
}

} // namespace cafmcp::chaos
