#pragma once

// Server-side pagination of a sorted list with opaque cursors (checklist §4
// "Pagination": page size is server-chosen, invalid cursor -> -32602).

#include "cafmcp/protocol/cursor.hpp"
#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/rpc_error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace cafmcp::protocol {

// The page is [begin, end) of the list; next_cursor is set when more follow.
struct page_bounds {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::optional<std::string> next_cursor;
};

inline rpc_error invalid_cursor() {
  return invalid_params("Invalid cursor", "invalid_cursor");
}

// Reads params.cursor: absent or null means "first page", a string is the
// cursor, anything else is -32602.
inline result<std::optional<std::string>, rpc_error>
cursor_param(const std::optional<nlohmann::json>& params) {
  if (!params || !params->is_object())
    return std::optional<std::string>{};
  auto it = params->find("cursor");
  if (it == params->end() || it->is_null())
    return std::optional<std::string>{};
  if (!it->is_string())
    return invalid_cursor();
  return std::optional<std::string>{it->get<std::string>()};
}

// Pages through `sorted`, a random-access range strictly ordered (unique,
// ascending) by key(element), which must return something convertible to
// std::string_view (a name, a URI, a task id). `scope` ties the cursor to
// this list, e.g. "tools/list". A page_size of 0 is treated as 1.
template <class Range, class KeyFn>
result<page_bounds, rpc_error> paginate(const Range& sorted,
                                        const std::optional<std::string>& cursor,
                                        std::string_view scope, std::size_t page_size, KeyFn key) {
  const auto first = std::begin(sorted);
  const auto size = static_cast<std::size_t>(std::distance(first, std::end(sorted)));
  std::size_t begin = 0;
  if (cursor) {
    auto after = decode_cursor(scope, *cursor);
    if (!after)
      return invalid_cursor();
    const std::string_view after_key{*after};
    // The first element after the key; correct even if the key's element has
    // since been removed or others were inserted before it.
    auto it = std::upper_bound(first, std::end(sorted), after_key,
                               [&key](std::string_view k, const auto& element) {
                                 return k < std::string_view{key(element)};
                               });
    begin = static_cast<std::size_t>(std::distance(first, it));
  }
  const std::size_t end = begin + std::min(std::max<std::size_t>(page_size, 1), size - begin);
  page_bounds out{begin, end, std::nullopt};
  if (end < size)
    out.next_cursor = encode_cursor(scope, std::string_view{key(*(first + (end - 1)))});
  return out;
}

} // namespace cafmcp::protocol
