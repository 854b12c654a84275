// Small MCP rules the server enforces: `_meta` key names (checklist §1
// "_meta is reserved"), icons (§1 "Icons"), tool names (§4 "Tools"),
// logging levels (§4 "Logging"), and strict UTF-8 (§1 "UTF-8 JSON-RPC").
#include <doctest/doctest.h>

#include "cafmcp/protocol/icon.hpp"
#include "cafmcp/protocol/log_level.hpp"
#include "cafmcp/protocol/meta_key.hpp"
#include "cafmcp/protocol/tool_name.hpp"
#include "cafmcp/protocol/utf8.hpp"

#include <string>

using namespace cafmcp::protocol;
using nlohmann::json;

TEST_SUITE("checklist 1 - _meta key names") {

  TEST_CASE("unprefixed and reverse-DNS prefixed keys are valid") {
    for (auto key : {"progressToken", "a", "x-y_z.1", "com.example/my-key",
                     "io.modelcontextprotocol/related-task", "a1.b-2/n", "com.example/"}) {
      CAPTURE(key);
      CHECK(is_valid_meta_key(key));
    }
  }

  TEST_CASE("a key splits into prefix and name at the slash") {
    auto parts = parse_meta_key("com.example/flag");
    REQUIRE(parts.has_value());
    CHECK(parts->has_prefix);
    CHECK(parts->prefix == "com.example");
    CHECK(parts->name == "flag");
    auto bare = parse_meta_key("flag");
    CHECK_FALSE(bare->has_prefix);
    CHECK(bare->name == "flag");
  }

  TEST_CASE("keys breaking the label or name rules are invalid") {
    for (auto key : {"-x", "x-", "_x", "com..example/x", "1com.example/x", "com.example-/x", "/x",
                     "com.ex_ample/x", "a/b/c", "with space", "com.example/-x"}) {
      CAPTURE(key);
      CHECK_FALSE(is_valid_meta_key(key));
    }
  }

  TEST_CASE("a prefix whose second label is modelcontextprotocol or mcp is reserved") {
    for (auto key : {"io.modelcontextprotocol/related-task", "dev.mcp/x",
                     "org.modelcontextprotocol.api/x", "com.mcp.tools/x", "IO.MCP/x"}) {
      CAPTURE(key);
      CHECK(is_reserved_meta_key(key));
    }
  }

  TEST_CASE("mcp as a first or third label or in the name is not reserved") {
    for (auto key : {"com.example.mcp/x", "mcp/x", "modelcontextprotocol/x", "com.example/mcp",
                     "mcp", "com.mcpx/x", "progressToken"}) {
      CAPTURE(key);
      CHECK_FALSE(is_reserved_meta_key(key));
    }
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - icons") {

  TEST_CASE("https and data icon sources are accepted") {
    for (auto src : {"https://example.com/icon.png", "HTTPS://example.com",
                     "data:image/png;base64,iVBORw0KGgo=", "data:,x"}) {
      CAPTURE(src);
      CHECK(check_icon_src(src).has_value());
    }
  }

  TEST_CASE("other icon sources are refused") {
    for (auto src : {"http://example.com/icon.png", "javascript:alert(1)", "file:///etc/passwd",
                     "ftp://x/y", "https://", "https:///path", "data:image/png;base64",
                     "https://exa mple.com/", "icon.png", ""}) {
      CAPTURE(src);
      CHECK_FALSE(check_icon_src(src).has_value());
    }
  }

  TEST_CASE("a full icon object is read with mimeType sizes and theme") {
    auto i = parse_icon(json::parse(
        R"({"src":"https://x.test/i.svg","mimeType":"image/svg+xml","sizes":["48x48","any"],"theme":"dark"})"));
    REQUIRE(i.has_value());
    CHECK(i->src == "https://x.test/i.svg");
    CHECK(i->mime_type == "image/svg+xml");
    CHECK(i->sizes == std::vector<std::string>{"48x48", "any"});
    CHECK(i->theme == icon_theme::dark);
    CHECK(
        json(*i) ==
        json::parse(
            R"({"src":"https://x.test/i.svg","mimeType":"image/svg+xml","sizes":["48x48","any"],"theme":"dark"})"));
  }

  TEST_CASE("an icon with a bad theme size or missing src is refused") {
    for (auto text :
         {R"({"src":"https://x.test/i.png","theme":"blue"})",
          R"({"src":"https://x.test/i.png","sizes":["big"]})",
          R"({"src":"https://x.test/i.png","sizes":"48x48"})",
          R"({"src":"https://x.test/i.png","mimeType":""})", R"({"mimeType":"image/png"})",
          R"({"src":"http://x.test/i.png"})", R"("https://x.test/i.png")"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_icon(json::parse(text)).has_value());
    }
  }

  TEST_CASE("an icons array error names the failing index") {
    auto r = parse_icons(json::parse(R"([{"src":"https://a.test/1.png"},{"src":"file:///x"}])"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().find("icons[1]") == 0);
    CHECK(parse_icons(json::array())->empty());
  }

} // TEST_SUITE

TEST_SUITE("checklist 4 - tool names") {

  TEST_CASE("tool names of 1 to 128 characters from A-Za-z0-9_.- are valid") {
    for (auto name : {"a", "test_simple_text", "getUser", "DATA_EXPORT_v2", "admin.tools.list",
                      "my-tool", "0"}) {
      CAPTURE(name);
      CHECK(is_valid_tool_name(name));
    }
    CHECK(is_valid_tool_name(std::string(128, 'x')));
  }

  TEST_CASE("empty overlong and tool names with other characters are refused with a reason") {
    CHECK(check_tool_name("").error().find("empty") != std::string::npos);
    CHECK(check_tool_name(std::string(129, 'x')).error().find("129") != std::string::npos);
    for (auto name : {"my tool", "a,b", "a/b", "caf\xC3\xA9", "a:b", "a\tb"}) {
      CAPTURE(name);
      CHECK_FALSE(is_valid_tool_name(name));
    }
    CHECK(check_tool_name("ab cd").error().find("position 2") != std::string::npos);
  }

} // TEST_SUITE

TEST_SUITE("checklist 4 - logging levels") {

  TEST_CASE("the eight RFC 5424 level names round-trip in severity order") {
    const char* names[] = {"debug", "info",     "notice", "warning",
                           "error", "critical", "alert",  "emergency"};
    for (int i = 0; i < 8; ++i) {
      auto level = parse_log_level(names[i]);
      REQUIRE(level.has_value());
      CHECK(static_cast<int>(*level) == i);
      CHECK(to_string(*level) == names[i]);
    }
    CHECK(log_level::debug < log_level::info);
    CHECK(log_level::alert < log_level::emergency);
  }

  TEST_CASE("other level names are refused") {
    for (auto name : {"warn", "WARNING", "Info", "fatal", "trace", ""}) {
      CAPTURE(name);
      CHECK_FALSE(parse_log_level(name).has_value());
    }
  }

  TEST_CASE("a message passes a threshold at or below its own severity") {
    CHECK(passes_threshold(log_level::error, log_level::warning));
    CHECK(passes_threshold(log_level::info, log_level::info));
    CHECK_FALSE(passes_threshold(log_level::debug, log_level::info));
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - UTF-8") {

  TEST_CASE("well-formed UTF-8 of every length is valid") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  }

  TEST_CASE("overlong surrogate out-of-range and truncated sequences are invalid") {
    for (std::string bad : {"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xED\xBF\xBF",
                            "\xF0\x80\x80\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF",
                            "\x80", "\xC3", "\xE2\x82", "\xF0\x9F\x98"}) {
      CAPTURE(bad.size());
      CHECK_FALSE(is_valid_utf8(bad));
    }
  }

} // TEST_SUITE
