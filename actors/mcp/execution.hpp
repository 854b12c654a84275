#pragma once
// Where a handler runs. Only handlers that promise to return at once run on
// their session actor: a slow or blocking one there would stop the session
// from answering ping or cancellation.

#include <cstdint>

namespace cafmcp::mcp {

enum class execution : uint8_t {
  // Its own thread (a caf::detached worker): the handler may sleep, do
  // blocking I/O and use the blocking call_context requests. Costs a thread
  // per call; the default for synchronous handlers.
  blocking,
  // On the session actor itself, on CAF's scheduler: no actor or thread per
  // call, but the handler must return quickly and never block (use the
  // *_async requests; the blocking ones fail at once). The default for async
  // handlers, which only start work and answer later.
  cooperative,
};

} // namespace cafmcp::mcp
