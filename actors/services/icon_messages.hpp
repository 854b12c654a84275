// The icon cache's message vocabulary. Icons (MCP 2025-11-25, SEP-973) travel as JSON text:
// an array of Icon objects {src, mimeType?, sizes?, theme?}. Atom texts are global in CAF, so
// ours carry an "ic_" prefix.
//
//   (ic_put_atom, std::string owner, std::string icons_json) -> std::string
//       Validates the list (https: and data: sources only, protocol/icon.hpp) and caches it
//       under `owner` (e.g. "tool:echo", "implementation"); answers the normalized JSON array.
//       errors: invalid_icon (context: why, naming the index, e.g. "icons[1]: icon src must be
//       an https: or data: URI"), invalid_argument (empty owner), at_capacity (one list larger
//       than the whole cache).
//   (ic_check_atom, std::string icons_json)  -> std::string (validates without caching)
//   (ic_get_atom, std::string owner)         -> std::string | not_found
//   (ic_del_atom, std::string owner)         -> caf::ok_atom | not_found
//   (ic_stats_atom)                          -> icon_stats
// The cache is bounded (entries and bytes); the least recently used lists go first, so an
// owner should put its icons again when get says not_found.
#pragma once

#include <cstdint>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

namespace cafmcp::services {

using ic_put_atom = caf::atom_constant<caf::atom("ic_put")>;
using ic_check_atom = caf::atom_constant<caf::atom("ic_check")>;
using ic_get_atom = caf::atom_constant<caf::atom("ic_get")>;
using ic_del_atom = caf::atom_constant<caf::atom("ic_del")>;
using ic_stats_atom = caf::atom_constant<caf::atom("ic_stats")>;

struct icon_stats {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t rejected = 0;
  std::uint64_t evicted = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, icon_stats& x) {
  return f(caf::meta::type_name("icon_stats"), x.entries, x.bytes, x.hits, x.misses, x.rejected,
           x.evicted);
}

} // namespace cafmcp::services
