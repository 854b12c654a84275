// The embedding API: what feature_registry accepts and refuses (checklist §4
// tool names and schemas, resource URIs, templates; §1 icons and _meta).
#include "support.hpp"

namespace {

mcp::tool_definition tool(std::string name) {
  mcp::tool_definition t;
  t.name = std::move(name);
  t.description = "d";
  t.handler = [](const json&, mcp::call_context&) { return mcp::text_result("x"); };
  return t;
}

mcp::mcp_errc code_of(const caf::expected<void>& r) {
  REQUIRE_FALSE(r);
  REQUIRE(r.error().category() == caf::atom("mcp"));
  return static_cast<mcp::mcp_errc>(r.error().code());
}

mcp::read_result nothing(const mcp::resource_request&, mcp::call_context&) {
  return std::vector<mcp::resource_content>{};
}

} // namespace

TEST_SUITE("checklist 4 - tools: registration") {

  TEST_CASE("tool names follow SEP-986 and are unique") {
    mcp::feature_registry f;
    CHECK(f.add_tool(tool("get_weather.v2-beta")));
    CHECK(code_of(f.add_tool(tool("get_weather.v2-beta"))) == mcp::mcp_errc::duplicate_definition);
    CHECK(code_of(f.add_tool(tool(""))) == mcp::mcp_errc::invalid_definition);
    CHECK(code_of(f.add_tool(tool("has space"))) == mcp::mcp_errc::invalid_definition);
    CHECK(code_of(f.add_tool(tool(std::string(129, 'a')))) == mcp::mcp_errc::invalid_definition);
    CHECK(f.add_tool(tool(std::string(128, 'a'))));
    CHECK(f.snapshot()->tools.size() == 2);
  }

  TEST_CASE("a tool needs exactly one handler") {
    mcp::feature_registry f;
    auto none = tool("none");
    none.handler = nullptr;
    CHECK(code_of(f.add_tool(none)) == mcp::mcp_errc::invalid_definition);
    auto both = tool("both");
    both.async_handler = [](const json&, mcp::call_context&, mcp::async_result) {};
    CHECK(code_of(f.add_tool(both)) == mcp::mcp_errc::invalid_definition);
  }

  TEST_CASE("input and output schemas must be valid object schemas") {
    mcp::feature_registry f;
    auto not_object = tool("a");
    not_object.input_schema = {{"type", "string"}};
    CHECK(code_of(f.add_tool(not_object)) == mcp::mcp_errc::invalid_definition);
    auto null_schema = tool("b");
    null_schema.input_schema = nullptr;
    CHECK(code_of(f.add_tool(null_schema)) == mcp::mcp_errc::invalid_definition);
    auto bad_dialect = tool("c");
    bad_dialect.input_schema = {{"$schema", "http://json-schema.org/draft-04/schema#"},
                                {"type", "object"}};
    CHECK(code_of(f.add_tool(bad_dialect)) == mcp::mcp_errc::invalid_definition);
    auto bad_output = tool("d");
    bad_output.output_schema = json{{"type", "array"}};
    CHECK(code_of(f.add_tool(bad_output)) == mcp::mcp_errc::invalid_definition);
    auto good = tool("e");
    good.input_schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                         {"type", "object"},
                         {"$defs", {{"address", {{"type", "object"}}}}},
                         {"properties", {{"address", {{"$ref", "#/$defs/address"}}}}},
                         {"additionalProperties", false}};
    CHECK(f.add_tool(good));
  }

  TEST_CASE("icons must be https: or data: and _meta keys must be valid") {
    mcp::feature_registry f;
    auto http_icon = tool("a");
    http_icon.icons = {cafmcp::protocol::icon{"http://example.com/i.png", {}, {}, {}}};
    CHECK(code_of(f.add_tool(http_icon)) == mcp::mcp_errc::invalid_definition);
    auto bad_meta = tool("b");
    bad_meta.meta = {{"-bad key-", 1}};
    CHECK(code_of(f.add_tool(bad_meta)) == mcp::mcp_errc::invalid_definition);
    auto ok = tool("c");
    ok.icons = {cafmcp::protocol::icon{"data:image/png;base64,AAAA", "image/png", {}, {}}};
    ok.meta = {{"com.example/flag", true}};
    CHECK(f.add_tool(ok));
  }

  TEST_CASE("sync tools default to blocking, async ones to cooperative") {
    mcp::feature_registry f;
    REQUIRE(f.add_tool(tool("sync")));
    auto async = tool("async");
    async.handler = nullptr;
    async.async_handler = [](const json&, mcp::call_context&, mcp::async_result) {};
    REQUIRE(f.add_tool(async));
    auto snap = f.snapshot();
    CHECK(*snap->find_tool("sync")->def.mode == mcp::execution::blocking);
    CHECK(*snap->find_tool("async")->def.mode == mcp::execution::cooperative);
  }

  TEST_CASE("a snapshot stays consistent while the registry changes") {
    mcp::feature_registry f;
    REQUIRE(f.add_tool(tool("a")));
    auto before = f.snapshot();
    REQUIRE(f.add_tool(tool("b")));
    REQUIRE(f.remove_tool("a"));
    CHECK(before->tools.size() == 1);
    CHECK(before->find_tool("a"));
    auto after = f.snapshot();
    CHECK_FALSE(after->find_tool("a"));
    CHECK(after->find_tool("b"));
    CHECK(after->revision > before->revision);
    // Capabilities are sticky.
    REQUIRE(f.remove_tool("b"));
    CHECK(f.snapshot()->declares(mcp::feature_kind::tools));
  }

  TEST_CASE("concurrent registrations never lose each other") {
    mcp::feature_registry f;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&f, t] {
        for (int i = 0; i < 50; ++i)
          REQUIRE(f.add_tool(tool("t" + std::to_string(t) + "_" + std::to_string(i))));
      });
    for (auto& th : threads)
      th.join();
    CHECK(f.snapshot()->tools.size() == 200);
  }
}

TEST_SUITE("checklist 4 - resources: registration") {

  TEST_CASE("resource URIs must be absolute and unique, and need a name and a reader") {
    mcp::feature_registry f;
    mcp::resource_definition r;
    r.uri = "file:///etc/hosts";
    r.name = "hosts";
    r.read = nothing;
    CHECK(f.add_resource(r));
    CHECK(code_of(f.add_resource(r)) == mcp::mcp_errc::duplicate_definition);
    auto relative = r;
    relative.uri = "etc/hosts";
    CHECK(code_of(f.add_resource(relative)) == mcp::mcp_errc::invalid_definition);
    auto unnamed = r;
    unnamed.uri = "file:///x";
    unnamed.name.clear();
    CHECK(code_of(f.add_resource(unnamed)) == mcp::mcp_errc::invalid_definition);
    auto no_reader = r;
    no_reader.uri = "file:///y";
    no_reader.read = nullptr;
    CHECK(code_of(f.add_resource(no_reader)) == mcp::mcp_errc::invalid_definition);
  }

  TEST_CASE("templates must be RFC 6570 level 1-2") {
    mcp::feature_registry f;
    mcp::resource_template_definition t;
    t.name = "t";
    t.read = nothing;
    t.uri_template = "db://{table}/{+key}";
    CHECK(f.add_resource_template(t));
    t.uri_template = "db://{a,b}";
    CHECK(code_of(f.add_resource_template(t)) == mcp::mcp_errc::invalid_definition);
    t.uri_template = "db://{unclosed";
    CHECK(code_of(f.add_resource_template(t)) == mcp::mcp_errc::invalid_definition);
  }

  TEST_CASE("a static resource wins over a template and templates match in order") {
    mcp::feature_registry f;
    mcp::resource_template_definition t;
    t.name = "t";
    t.read = nothing;
    t.uri_template = "x://{id}";
    REQUIRE(f.add_resource_template(t));
    mcp::resource_definition r;
    r.uri = "x://fixed";
    r.name = "fixed";
    r.read = nothing;
    REQUIRE(f.add_resource(r));
    auto snap = f.snapshot();
    CHECK(snap->find_resource("x://fixed"));
    mcp::uri_template::variables vars;
    CHECK(snap->match_template("x://other", vars));
    CHECK(vars.at("id") == "other");
    CHECK_FALSE(snap->match_template("y://other", vars));
  }
}

TEST_SUITE("checklist 4 - prompts: registration") {

  TEST_CASE("prompt names are unique and argument names distinct") {
    mcp::feature_registry f;
    mcp::prompt_definition p;
    p.name = "p";
    p.get = [](const mcp::prompt_request&, mcp::call_context&) -> mcp::prompt_get_result {
      return json::array();
    };
    CHECK(f.add_prompt(p));
    CHECK(code_of(f.add_prompt(p)) == mcp::mcp_errc::duplicate_definition);
    auto twice = p;
    twice.name = "q";
    twice.arguments = {{"a", "", "", true}, {"a", "", "", false}};
    CHECK(code_of(f.add_prompt(twice)) == mcp::mcp_errc::invalid_definition);
  }
}
