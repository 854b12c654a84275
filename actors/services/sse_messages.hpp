// The SSE event store's message vocabulary (Streamable HTTP resumability). Atom texts are
// global in CAF, so ours carry an "es_" prefix.
//
//   (es_append_atom, std::string session, std::string stream, std::string data)
//       -> std::string (the event id, "<stream>:<seq>", for the SSE `id:` field)
//       Appends one event to the stream's log (created on first use). data may be empty (a
//       priming event). errors: invalid_argument (empty session, bad stream id).
//   (es_replay_atom, std::string session, std::string last_event_id) -> sse_replay
//       The events of the stream named by last_event_id that came after it, oldest first; all
//       or nothing. errors: unknown_event_id (malformed, never issued for this session, or its
//       stream is gone), history_evicted (an event after it was already dropped: replaying the
//       rest would silently lose messages, so the client must start over).
//   (es_drop_atom, std::string session)  -> std::size_t (streams dropped; the session ended)
//   (es_stats_atom)                      -> sse_stats
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

namespace cafmcp::services {

using es_append_atom = caf::atom_constant<caf::atom("es_append")>;
using es_replay_atom = caf::atom_constant<caf::atom("es_replay")>;
using es_drop_atom = caf::atom_constant<caf::atom("es_drop")>;
using es_stats_atom = caf::atom_constant<caf::atom("es_stats")>;

struct sse_event {
  std::string id;
  std::string data;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sse_event& x) {
  return f(caf::meta::type_name("sse_event"), x.id, x.data);
}

struct sse_replay {
  std::string stream; // continue this stream after replaying
  std::vector<sse_event> events;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sse_replay& x) {
  return f(caf::meta::type_name("sse_replay"), x.stream, x.events);
}

struct sse_stats {
  std::uint64_t sessions = 0;
  std::uint64_t streams = 0;
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sse_stats& x) {
  return f(caf::meta::type_name("sse_stats"), x.sessions, x.streams, x.events, x.bytes);
}

} // namespace cafmcp::services
