// Opaque cursors and server-side paging (checklist §4 "Pagination": opaque
// cursor / nextCursor, server-chosen page size, invalid cursor -> -32602).
#include <doctest/doctest.h>

#include "cafmcp/protocol/cursor.hpp"
#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/pagination.hpp"

#include <string>
#include <vector>

using namespace cafmcp::protocol;
using nlohmann::json;

namespace {

struct tool_entry {
  std::string name;
};

const auto by_name = [](const tool_entry& t) -> const std::string& { return t.name; };

std::vector<tool_entry> tools(std::initializer_list<const char*> names) {
  std::vector<tool_entry> out;
  for (auto n : names)
    out.push_back({n});
  return out;
}

// Every name reachable by following nextCursor from the first page.
std::vector<std::string> walk(const std::vector<tool_entry>& list, std::size_t page_size) {
  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = paginate(list, cursor, "tools/list", page_size, by_name);
    REQUIRE(page.has_value());
    for (auto i = page->begin; i < page->end; ++i)
      seen.push_back(list[i].name);
    if (!page->next_cursor)
      break;
    cursor = page->next_cursor;
  }
  return seen;
}

} // namespace

TEST_SUITE("checklist 4 - pagination") {

  TEST_CASE("a cursor decodes back to its key in its own scope") {
    auto c = encode_cursor("tools/list", "echo");
    auto key = decode_cursor("tools/list", c);
    REQUIRE(key.has_value());
    CHECK(*key == "echo");
  }

  TEST_CASE("a cursor is URL-safe opaque text") {
    auto c = encode_cursor("resources/list", "test://template/{id}/data?x=1&y=/");
    for (char ch : c) {
      CAPTURE(ch);
      CHECK(((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
             ch == '-' || ch == '_'));
    }
    CHECK(c.find("test") == std::string::npos);
  }

  TEST_CASE("keys with separators and arbitrary bytes round-trip") {
    const std::string key = std::string{"a\x1f"} + '\0' + "b|c";
    CHECK(decode_cursor("s", encode_cursor("s", key)) == key);
    CHECK(decode_cursor("s", encode_cursor("s", "")) == std::string{});
  }

  TEST_CASE("a cursor from another list is refused") {
    auto c = encode_cursor("tools/list", "echo");
    CHECK_FALSE(decode_cursor("prompts/list", c).has_value());
  }

  TEST_CASE("garbage truncated tampered and oversized cursors are refused") {
    auto c = encode_cursor("tools/list", "echo");
    CHECK_FALSE(decode_cursor("tools/list", "").has_value());
    CHECK_FALSE(decode_cursor("tools/list", "not a cursor!").has_value());
    CHECK_FALSE(decode_cursor("tools/list", "AAAA").has_value());
    CHECK_FALSE(decode_cursor("tools/list", c.substr(0, c.size() - 2)).has_value());
    std::string tampered = c;
    tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
    CHECK_FALSE(decode_cursor("tools/list", tampered).has_value());
    CHECK_FALSE(decode_cursor("tools/list", c + "=").has_value());
    CHECK_FALSE(decode_cursor("tools/list", std::string(max_cursor_length + 1, 'A')).has_value());
  }

  TEST_CASE("paging walks the whole list once in order for any page size") {
    auto list = tools({"a", "b", "c", "d", "e", "f", "g"});
    const std::vector<std::string> all{"a", "b", "c", "d", "e", "f", "g"};
    for (std::size_t size : {1u, 2u, 3u, 7u, 50u}) {
      CAPTURE(size);
      CHECK(walk(list, size) == all);
    }
  }

  TEST_CASE("the last page has no nextCursor and an exact fit adds no empty page") {
    auto list = tools({"a", "b", "c", "d"});
    auto first = paginate(list, std::nullopt, "tools/list", 2, by_name);
    REQUIRE(first->next_cursor.has_value());
    auto second = paginate(list, first->next_cursor, "tools/list", 2, by_name);
    CHECK(second->begin == 2);
    CHECK(second->end == 4);
    CHECK_FALSE(second->next_cursor.has_value());
  }

  TEST_CASE("an empty list is one empty page") {
    std::vector<tool_entry> none;
    auto page = paginate(none, std::nullopt, "tools/list", 10, by_name);
    REQUIRE(page.has_value());
    CHECK(page->begin == page->end);
    CHECK_FALSE(page->next_cursor.has_value());
  }

  TEST_CASE("a page size of zero still makes progress") {
    auto list = tools({"a", "b"});
    auto page = paginate(list, std::nullopt, "tools/list", 0, by_name);
    CHECK(page->end - page->begin == 1);
  }

  TEST_CASE("paging resumes after the last seen key when the list changes between pages") {
    auto list = tools({"a", "c", "e", "g"});
    auto first = paginate(list, std::nullopt, "tools/list", 2, by_name); // a, c
    // "c" is removed and "b", "d" are added before the next page is asked for.
    auto changed = tools({"a", "b", "d", "e", "g"});
    auto next = paginate(changed, first->next_cursor, "tools/list", 2, by_name);
    REQUIRE(next.has_value());
    CHECK(changed[next->begin].name == "d"); // neither repeats a nor skips d
    CHECK(next->end - next->begin == 2);
  }

  TEST_CASE("an invalid cursor is -32602") {
    auto list = tools({"a"});
    auto page = paginate(list, std::string{"bogus"}, "tools/list", 10, by_name);
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == error_code::invalid_params);
    CHECK(page.error().data->at("reason") == "invalid_cursor");
  }

  TEST_CASE("a cursor from another list is -32602 when paging") {
    auto list = tools({"a", "b"});
    auto page = paginate(list, encode_cursor("prompts/list", "a"), "tools/list", 10, by_name);
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == error_code::invalid_params);
  }

  TEST_CASE("params.cursor is read when it is a string and refused otherwise") {
    CHECK_FALSE(cursor_param(std::nullopt)->has_value());
    CHECK_FALSE(cursor_param(json::object())->has_value());
    CHECK_FALSE(cursor_param(json{{"cursor", nullptr}})->has_value());
    CHECK(cursor_param(json{{"cursor", "abc"}})->value() == "abc");
    auto bad = cursor_param(json{{"cursor", 5}});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == error_code::invalid_params);
  }

} // TEST_SUITE
