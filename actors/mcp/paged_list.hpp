#pragma once
// One page of a sorted feature list as a *list result: {<field>: [...],
// nextCursor?}, with the protocol's opaque cursors (checklist §4
// "Pagination"; invalid cursor -> -32602).

#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cafmcp/protocol/pagination.hpp"

namespace cafmcp::mcp {

template <class List, class KeyFn, class ToJson>
protocol::result<nlohmann::json, protocol::rpc_error>
paged_list(const List& sorted, const std::optional<nlohmann::json>& params, std::string_view scope,
           const char* field, std::size_t page_size, KeyFn key, ToJson to_json) {
  auto cursor = protocol::cursor_param(params);
  if (!cursor)
    return cursor.error();
  auto page = protocol::paginate(sorted, *cursor, scope, page_size, key);
  if (!page)
    return page.error();
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = page->begin; i < page->end; ++i)
    items.push_back(to_json(*sorted[i]));
  nlohmann::json out{{field, std::move(items)}};
  if (page->next_cursor)
    out["nextCursor"] = *page->next_cursor;
  return out;
}

} // namespace cafmcp::mcp
