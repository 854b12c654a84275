#pragma once
// Where Streamable HTTP keeps the events of its SSE streams, for resumption
// with GET + Last-Event-ID (checklist §6 "Resumability").
//
// A small synchronous, thread-safe interface: session actors call it from
// their own threads; implementations must not block for long (a mutex around
// a table is fine; the node's sse_event_store service keeps its table one
// level above the actor, so a restart of the service loses nothing). Event
// ids encode their stream; a replay returns the events of exactly that stream
// after the given id, or nothing at all when history is incomplete (fail
// closed: a client never gets a replay with holes).

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor.hpp>

namespace cafmcp::transports {

struct sse_event {
  std::string id;
  std::string data; ///< empty for a priming event
};

struct sse_replay {
  std::string stream;
  std::vector<sse_event> events; ///< oldest first, after the given id
};

class sse_event_store {
public:
  virtual ~sse_event_store() = default;
  /// Stores one event of `stream` of `session`; returns its id, unique within
  /// the session and encoding the stream.
  virtual std::string append(const std::string& session, const std::string& stream,
                             std::string data) = 0;
  /// Events of the stream `last_event_id` belongs to, after it. nullopt when
  /// the id is unknown to this session or any event after it was evicted.
  virtual std::optional<sse_replay> replay_after(const std::string& session,
                                                 std::string_view last_event_id) = 0;
  /// Drops a session's history (DELETE, end of session).
  virtual void forget(const std::string& session) = 0;
};

struct memory_event_store_limits {
  std::size_t max_events_per_stream = 1000;
  std::size_t max_streams_per_session = 64; ///< least recently appended go first
  std::size_t max_sessions = 15000;         ///< oldest sessions go first
};

/// The node's sse_event_store service (actors/services/sse_messages.hpp:
/// es_append / es_replay / es_drop), looked up anew for every operation
/// because it may restart: an invalid handle means "restarting". Streamable
/// HTTP then talks to it asynchronously, in order, and fails closed: an event
/// it could not store is still delivered live, but its stream can no longer
/// be resumed.
using event_store_service = std::function<caf::actor()>;

/// A bounded in-memory store. Event ids are "<stream>-<sequence>".
std::shared_ptr<sse_event_store> make_memory_event_store(memory_event_store_limits limits = {});

} // namespace cafmcp::transports
