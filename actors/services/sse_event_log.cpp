#include "cafmcp/actors/services/sse_event_log.hpp"

#include <algorithm>
#include <iterator>

#include "cafmcp/actors/services/service_error.hpp"
#include "cafmcp/actors/services/sse_event_id.hpp"

namespace cafmcp::services {

caf::expected<std::string> sse_event_log::append(const std::string& session,
                                                 const std::string& stream, std::string data,
                                                 const sse_limits& limits) {
  if (session.empty())
    return caf::make_error(svc_errc::invalid_argument, "event without a session");
  if (!valid_stream_id(stream))
    return caf::make_error(svc_errc::invalid_argument, "stream ids are 1-128 visible ASCII "
                                                       "characters");
  std::lock_guard<std::mutex> guard{mtx_};
  auto& streams = sessions_[session];
  if (streams.count(stream) == 0 &&
      streams.size() >= std::max<std::size_t>(limits.max_streams_per_session, 1)) {
    // Make room: the stream whose latest event is oldest goes; its ids become unknown.
    auto victim = std::min_element(streams.begin(), streams.end(), [](auto& a, auto& b) {
      return a.second.last_seq < b.second.last_seq;
    });
    events_ -= victim->second.count();
    bytes_ -= victim->second.bytes;
    streams.erase(victim);
  }
  auto& log = streams[stream];
  auto seq = next_seq_++;
  if (log.first_seq == 0)
    log.first_seq = seq;
  log.last_seq = seq;
  log.bytes += data.size();
  bytes_ += data.size();
  ++events_;
  log.events.emplace_back(seq, std::move(data));
  auto max_events = std::max<std::size_t>(limits.max_events_per_stream, 1);
  while (log.count() > 1 && (log.count() > max_events || log.bytes > limits.max_bytes_per_stream)) {
    auto& oldest = log.events[log.head];
    log.evicted_through = oldest.first;
    log.bytes -= oldest.second.size();
    bytes_ -= oldest.second.size();
    --events_;
    log.evict_oldest();
  }
  return format_event_id(stream, seq);
}

caf::expected<sse_replay> sse_event_log::replay_after(const std::string& session,
                                                      const std::string& last_event_id) const {
  auto unknown = [&] { return caf::make_error(svc_errc::unknown_event_id, last_event_id); };
  auto id = parse_event_id(last_event_id);
  if (!id)
    return unknown();
  std::lock_guard<std::mutex> guard{mtx_};
  auto s = sessions_.find(session);
  if (s == sessions_.end())
    return unknown();
  auto it = s->second.find(id->stream);
  if (it == s->second.end())
    return unknown();
  auto& log = it->second;
  if (id->seq < log.first_seq || id->seq > log.last_seq)
    return unknown();
  // Events after the client's last one were dropped: fail closed, never replay with a gap.
  if (id->seq < log.evicted_through)
    return caf::make_error(svc_errc::history_evicted, last_event_id);
  auto from = log.live_begin();
  if (id->seq > log.evicted_through) {
    // The client's last event must still be here; an id between two of our events was never
    // issued for this stream.
    from = std::lower_bound(log.live_begin(), log.events.end(), id->seq,
                            [](auto& e, std::uint64_t seq) { return e.first < seq; });
    if (from == log.events.end() || from->first != id->seq)
      return unknown();
    ++from;
  }
  sse_replay out;
  out.stream = id->stream;
  for (; from != log.events.end(); ++from)
    out.events.push_back(sse_event{format_event_id(id->stream, from->first), from->second});
  return out;
}

std::size_t sse_event_log::drop_session(const std::string& session) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto s = sessions_.find(session);
  if (s == sessions_.end())
    return 0;
  auto n = s->second.size();
  for (auto& [stream, log] : s->second) {
    events_ -= log.count();
    bytes_ -= log.bytes;
  }
  sessions_.erase(s);
  return n;
}

sse_stats sse_event_log::stats() const {
  std::lock_guard<std::mutex> guard{mtx_};
  sse_stats out;
  out.sessions = sessions_.size();
  for (auto& [session, streams] : sessions_)
    out.streams += streams.size();
  out.events = events_;
  out.bytes = bytes_;
  return out;
}

} // namespace cafmcp::services
