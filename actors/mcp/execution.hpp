#pragma once
// Where a handler runs. Handlers never run on the session actor: a slow or
// blocking one would stop the session from answering ping or cancellation.

#include <cstdint>

namespace cafmcp::mcp {

enum class execution : uint8_t {
  // Its own thread (a caf::detached worker): the handler may sleep, do
  // blocking I/O and use the blocking call_context requests. Costs a thread
  // per call; the default for synchronous handlers.
  blocking,
  // A worker actor on CAF's scheduler: cheap, but the handler must return
  // quickly and never block (use the *_async requests). The default for
  // async handlers, which only start work and answer later.
  cooperative,
};

} // namespace cafmcp::mcp
