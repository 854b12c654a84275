#include "cafmcp/transports/sse_event_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace cafmcp::transports {

namespace {

struct stream_log {
  std::deque<std::pair<std::uint64_t, std::string>> events;
  std::uint64_t first_seq = 0;    // the first event this stream ever had
  std::uint64_t evicted_upto = 0; // highest evicted sequence number, 0: none
};

struct session_log {
  std::uint64_t next_seq = 1;
  std::unordered_map<std::string, stream_log> streams;
  std::deque<std::string> lru; // least recently appended first
};

class memory_event_store final : public sse_event_store {
public:
  explicit memory_event_store(memory_event_store_limits limits) : limits_(limits) {
    limits_.max_events_per_stream = std::max<std::size_t>(1, limits_.max_events_per_stream);
    limits_.max_streams_per_session = std::max<std::size_t>(1, limits_.max_streams_per_session);
    limits_.max_sessions = std::max<std::size_t>(1, limits_.max_sessions);
  }

  std::string append(const std::string& session, const std::string& stream,
                     std::string data) override {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = sessions_.find(session);
    if (i == sessions_.end()) {
      while (sessions_.size() >= limits_.max_sessions && !order_.empty()) {
        sessions_.erase(order_.front());
        order_.pop_front();
      }
      i = sessions_.emplace(session, session_log{}).first;
      order_.push_back(session);
    }
    auto& log = i->second;
    auto seq = log.next_seq++;
    auto s = log.streams.find(stream);
    if (s == log.streams.end()) {
      while (log.streams.size() >= limits_.max_streams_per_session && !log.lru.empty()) {
        log.streams.erase(log.lru.front());
        log.lru.pop_front();
      }
      s = log.streams.emplace(stream, stream_log{}).first;
      s->second.first_seq = seq;
    } else {
      log.lru.erase(std::find(log.lru.begin(), log.lru.end(), stream));
    }
    log.lru.push_back(stream);
    auto& st = s->second;
    st.events.emplace_back(seq, std::move(data));
    while (st.events.size() > limits_.max_events_per_stream) {
      st.evicted_upto = st.events.front().first;
      st.events.pop_front();
    }
    return stream + "-" + std::to_string(seq);
  }

  std::optional<sse_replay> replay_after(const std::string& session,
                                         std::string_view last_event_id) override {
    auto dash = last_event_id.rfind('-');
    if (dash == std::string_view::npos || dash == 0)
      return std::nullopt;
    std::string stream{last_event_id.substr(0, dash)};
    auto digits = last_event_id.substr(dash + 1);
    std::uint64_t seq = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
    if (ec != std::errc{} || end != digits.data() + digits.size())
      return std::nullopt;
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = sessions_.find(session);
    if (i == sessions_.end())
      return std::nullopt;
    auto& log = i->second;
    auto s = log.streams.find(stream);
    if (s == log.streams.end() || seq >= log.next_seq || seq < s->second.first_seq)
      return std::nullopt;
    auto& st = s->second;
    if (st.evicted_upto > seq)
      return std::nullopt; // something after `seq` is gone: fail closed
    sse_replay out;
    out.stream = stream;
    for (const auto& [n, data] : st.events)
      if (n > seq)
        out.events.push_back(sse_event{stream + "-" + std::to_string(n), data});
    return out;
  }

  void forget(const std::string& session) override {
    std::lock_guard<std::mutex> guard{mtx_};
    if (sessions_.erase(session) > 0)
      order_.erase(std::find(order_.begin(), order_.end(), session));
  }

private:
  memory_event_store_limits limits_;
  std::mutex mtx_;
  std::unordered_map<std::string, session_log> sessions_;
  std::deque<std::string> order_;
};

} // namespace

std::shared_ptr<sse_event_store> make_memory_event_store(memory_event_store_limits limits) {
  return std::make_shared<memory_event_store>(limits);
}

} // namespace cafmcp::transports
