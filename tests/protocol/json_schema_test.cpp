// JSON Schema compilation and validation (checklist §1 "JSON Schema: default
// 2020-12 ... handle unsupported dialects gracefully with an error", §4 Tools
// "inputSchema (a valid object schema, never null)" and "Servers MUST
// validate inputs", conformance fixture json_schema_2020_12_tool).
#include <doctest/doctest.h>

#include "cafmcp/protocol/json_schema.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace cafmcp::protocol;
using nlohmann::json;

namespace {

json_schema compiled(const char* text, const schema_options& options = {}) {
  auto r = json_schema::compile(json::parse(text), options);
  if (!r)
    FAIL("compile failed at '" << r.error().path << "': " << r.error().message);
  return *r;
}

schema_error compile_error(const char* text, const schema_options& options = {}) {
  auto r = json_schema::compile(json::parse(text), options);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

bool accepts(const json_schema& s, const char* instance) {
  const auto j = json::parse(instance);
  const bool ok = s.validate(j).empty();
  CHECK(ok == s.accepts(j)); // both entry points always agree
  return ok;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_SUITE("checklist 1 - JSON Schema dialects") {

  TEST_CASE("a schema without $schema is 2020-12 and 2020-12 keywords are enforced") {
    auto s = compiled(R"({"type":"array","prefixItems":[{"type":"string"}],"items":false})");
    CHECK(s.dialect() == schema_dialect::draft_2020_12);
    CHECK(accepts(s, R"(["a"])"));
    CHECK_FALSE(accepts(s, R"([1])"));
    CHECK_FALSE(accepts(s, R"(["a", "b"])")); // items:false forbids extra items
  }

  TEST_CASE("the 2020-12 $schema URI is accepted with or without the empty fragment") {
    for (auto uri : {"https://json-schema.org/draft/2020-12/schema",
                     "https://json-schema.org/draft/2020-12/schema#",
                     "http://json-schema.org/draft/2020-12/schema"}) {
      CAPTURE(uri);
      auto r = json_schema::compile(json{{"$schema", uri}, {"type", "string"}});
      REQUIRE(r.has_value());
      CHECK(r->dialect() == schema_dialect::draft_2020_12);
    }
  }

  TEST_CASE("draft-07 is accepted and keeps its own items semantics") {
    auto s = compiled(R"({"$schema":"http://json-schema.org/draft-07/schema#",
                        "type":"array","items":[{"type":"string"}],"additionalItems":false})");
    CHECK(s.dialect() == schema_dialect::draft_07);
    CHECK(accepts(s, R"(["a"])"));
    CHECK_FALSE(accepts(s, R"(["a", 1])"));
  }

  TEST_CASE("the default dialect can be set to draft-07 for older revisions") {
    schema_options o;
    o.default_dialect = schema_dialect::draft_07;
    auto s = compiled(R"({"type":"array","items":[{"type":"integer"}]})", o);
    CHECK(s.dialect() == schema_dialect::draft_07);
    CHECK_FALSE(accepts(s, R"(["x"])"));
  }

  TEST_CASE("an unsupported dialect is a clear error naming it and the supported ones") {
    for (auto uri :
         {"http://json-schema.org/draft-04/schema#", "https://json-schema.org/draft/2019-09/schema",
          "https://example.com/my-dialect"}) {
      CAPTURE(uri);
      auto r = json_schema::compile(json{{"$schema", uri}, {"type", "object"}});
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().path == "/$schema");
      CHECK(contains(r.error().message, uri));
      CHECK(contains(r.error().message, "2020-12"));
      CHECK(contains(r.error().message, "draft-07"));
    }
  }

  TEST_CASE("a non-string $schema is an error") {
    CHECK(compile_error(R"({"$schema":7})").path == "/$schema");
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - JSON Schema 2020-12 on valijson") {

  TEST_CASE("the conformance json_schema_2020_12_tool schema compiles and validates") {
    auto s = compiled(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {"address": {"type": "object",
                          "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}},
    "properties": {"name": {"type": "string"}, "address": {"$ref": "#/$defs/address"}},
    "additionalProperties": false})");
    CHECK(accepts(s, R"({"name":"Ada","address":{"street":"Main","city":"Paris"}})"));
    CHECK_FALSE(accepts(s, R"({"name":"Ada","address":{"city":3}})"));
    CHECK_FALSE(accepts(s, R"({"name":"Ada","phone":"123"})"));
  }

  TEST_CASE("$ref siblings apply in 2020-12 but are ignored in draft-07") {
    const char* modern = R"({"$defs":{"s":{"type":"string"}},
                           "properties":{"a":{"$ref":"#/$defs/s","minLength":3}}})";
    CHECK_FALSE(accepts(compiled(modern), R"({"a":"ab"})"));
    CHECK(accepts(compiled(modern), R"({"a":"abc"})"));
    CHECK_FALSE(accepts(compiled(modern), R"({"a":123})"));
    const char* old = R"({"$schema":"http://json-schema.org/draft-07/schema#",
                        "definitions":{"s":{"type":"string"}},
                        "properties":{"a":{"$ref":"#/definitions/s","minLength":3}}})";
    CHECK(accepts(compiled(old), R"({"a":"ab"})"));
  }

  TEST_CASE("$ref siblings keep the author's allOf entries addressable") {
    auto s = compiled(R"({"properties":{
      "a":{"$ref":"#/properties/b/allOf/0","allOf":[{"type":"string"}]},
      "b":{"allOf":[{"minLength":2}]}}})");
    CHECK_FALSE(accepts(s, R"({"a":"x"})")); // minLength via the $ref
    CHECK_FALSE(accepts(s, R"({"a":12})"));  // type via the sibling allOf
    CHECK(accepts(s, R"({"a":"xy"})"));
  }

  TEST_CASE("dependentRequired and dependentSchemas are enforced") {
    auto req = compiled(R"({"dependentRequired":{"card":["billing"]}})");
    CHECK(accepts(req, R"({})"));
    CHECK(accepts(req, R"({"card":1,"billing":2})"));
    CHECK_FALSE(accepts(req, R"({"card":1})"));
    auto sch = compiled(R"({"dependentSchemas":{"card":{"required":["billing"]}},
                          "dependentRequired":{"card":["name"]}})");
    CHECK_FALSE(accepts(sch, R"({"card":1,"billing":2})"));
    CHECK_FALSE(accepts(sch, R"({"card":1,"name":2})"));
    CHECK(accepts(sch, R"({"card":1,"billing":2,"name":3})"));
  }

  TEST_CASE("the draft-7 core keywords behave as in 2020-12") {
    auto s = compiled(R"({"type":"object","required":["n"],"properties":{
      "n":{"type":"integer","minimum":1,"exclusiveMaximum":10,"multipleOf":3},
      "e":{"enum":["a","b"]}, "c":{"const":{"k":[1]}},
      "s":{"type":"string","pattern":"^x+$","maxLength":3},
      "l":{"type":"array","contains":{"const":2},"uniqueItems":true,"minItems":1},
      "o":{"type":"object","propertyNames":{"pattern":"^[a-z]+$"},"maxProperties":1},
      "i":{"if":{"type":"string"},"then":{"minLength":2},"else":{"type":"number"}},
      "x":{"oneOf":[{"type":"string"},{"type":"integer"}]},
      "y":{"not":{"type":"null"}}}})");
    CHECK(accepts(s, R"({"n":3,"e":"a","c":{"k":[1]},"s":"xx","l":[1,2],"o":{"ab":1},
                      "i":"ok","x":"s","y":0})"));
    CHECK_FALSE(accepts(s, R"({})"));
    CHECK_FALSE(accepts(s, R"({"n":0})"));
    CHECK_FALSE(accepts(s, R"({"n":12})"));
    CHECK_FALSE(accepts(s, R"({"n":4})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"e":"z"})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"c":{"k":[2]}})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"s":"xy"})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"l":[1,3]})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"l":[2,2]})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"o":{"A":1}})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"i":"a"})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"i":true})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"x":1.5})"));
    CHECK_FALSE(accepts(s, R"({"n":3,"y":null})"));
  }

  TEST_CASE("a number with zero fraction counts as an integer") {
    auto s = compiled(R"({"type":"object","properties":{"n":{"type":"integer"}}})");
    CHECK(accepts(s, R"({"n":1.0})"));
    CHECK_FALSE(accepts(s, R"({"n":1.5})"));
  }

  TEST_CASE("boolean schemas accept everything or nothing") {
    CHECK(accepts(compiled("true"), R"({"a":[1]})"));
    CHECK_FALSE(accepts(compiled("false"), "1"));
    auto s = compiled(R"({"properties":{"never":false}})");
    CHECK(accepts(s, R"({"other":1})"));
    CHECK_FALSE(accepts(s, R"({"never":1})"));
  }

  TEST_CASE("recursive schemas through properties validate nested instances") {
    auto s =
        compiled(R"({"type":"object","properties":{"v":{"type":"integer"},"child":{"$ref":"#"}}})");
    CHECK(accepts(s, R"({"v":1,"child":{"v":2,"child":{"v":3}}})"));
    auto errors = s.validate(json::parse(R"({"child":{"child":{"v":"x"}}})"));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].path == "/child/child/v");
  }

  TEST_CASE("format is an annotation by default as 2020-12 says") {
    auto s = compiled(R"({"type":"string","format":"date"})");
    CHECK(accepts(s, R"("not a date")"));
  }

  TEST_CASE("format can be asserted for date time and date-time and ignores non-strings") {
    schema_options o;
    o.assert_format = true;
    auto s = compiled(R"({"format":"date-time"})", o);
    CHECK(accepts(s, R"("2025-11-25T10:00:00Z")"));
    CHECK_FALSE(accepts(s, R"("yesterday")"));
    CHECK(accepts(s, "42")); // format applies to strings only
    auto d = compiled(R"({"allOf":[{"type":"string"}],"format":"date"})", o);
    CHECK(accepts(d, R"("2025-02-28")"));
    CHECK_FALSE(accepts(d, R"("2025-13-01")"));
    CHECK_FALSE(accepts(d, "5"));
  }

  TEST_CASE("data inside const enum and default is never rewritten as a schema") {
    auto s =
        compiled(R"({"const":{"$ref":"#/nope","format":"x","items":[1]},"default":{"$ref":7}})");
    CHECK(accepts(s, R"({"$ref":"#/nope","format":"x","items":[1]})"));
    CHECK_FALSE(accepts(s, R"({"$ref":"#/nope"})"));
  }

  TEST_CASE("annotations are accepted and not checked") {
    auto s = compiled(R"({"title":"t","description":"d","examples":[1],"deprecated":true,
                        "readOnly":true,"$comment":"c","contentMediaType":"text/plain",
                        "$id":"https://example.com/s","$anchor":"a","type":"integer"})");
    CHECK(accepts(s, "1"));
  }

} // TEST_SUITE

TEST_SUITE("checklist 1 - JSON Schema keywords refused") {

  TEST_CASE("keywords valijson cannot enforce are refused by name") {
    for (auto kw : {"unevaluatedProperties", "unevaluatedItems", "minContains", "maxContains",
                    "$dynamicRef"}) {
      CAPTURE(kw);
      json schema = {{"type", "object"}, {"properties", {{"a", {{kw, false}}}}}};
      auto r = json_schema::compile(schema);
      REQUIRE_FALSE(r.has_value());
      CHECK(contains(r.error().message, kw));
      CHECK(contains(r.error().message, "/properties/a"));
    }
  }

  TEST_CASE("unenforced keywords can be allowed and are then listed") {
    schema_options o;
    o.allow_unenforced_keywords = true;
    auto s = compiled(R"({"type":"object","unevaluatedProperties":false})", o);
    REQUIRE(s.unenforced_keywords().size() == 1);
    CHECK(s.unenforced_keywords()[0] == "(root): unevaluatedProperties");
    CHECK(accepts(s, R"({"anything":1})"));
  }

  TEST_CASE("draft-07 leftovers in a 2020-12 schema are refused rather than ignored") {
    CHECK(contains(compile_error(R"({"dependencies":{"a":["b"]}})").message, "dependencies"));
    CHECK(contains(compile_error(R"({"items":{"type":"string"},"additionalItems":false})").message,
                   "additionalItems"));
    auto tuple = compile_error(R"({"type":"array","items":[{"type":"string"}]})");
    CHECK(tuple.path == "/items");
    CHECK(contains(tuple.message, "prefixItems"));
  }

  TEST_CASE("a $ref outside this document is refused") {
    for (auto ref : {"https://example.com/schema.json", "other.json#/a", "#anchor"}) {
      CAPTURE(ref);
      auto r = json_schema::compile(json{{"properties", {{"a", {{"$ref", ref}}}}}});
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().path == "/properties/a/$ref");
    }
  }

  TEST_CASE("a $ref that does not resolve is refused at compile time") {
    auto e = compile_error(R"({"properties":{"a":{"$ref":"#/$defs/missing"}}})");
    CHECK(contains(e.message, "#/$defs/missing"));
  }

  TEST_CASE(
      "a $ref cycle that never reaches the instance is refused instead of recursing forever") {
    CHECK(contains(compile_error(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},
                                  "properties":{"x":{"$ref":"#/$defs/a"}}})")
                       .message,
                   "cycle"));
    CHECK(contains(compile_error(R"({"allOf":[{"$ref":"#"}]})").message, "cycle"));
    CHECK(contains(compile_error(R"({"$schema":"http://json-schema.org/draft-07/schema#",
                                  "$ref":"#"})")
                       .message,
                   "cycle"));
  }

  TEST_CASE("an invalid regular expression is refused at compile time") {
    CHECK(compile_error(R"({"pattern":"(["})").path == "/pattern");
    CHECK(
        contains(compile_error(R"({"patternProperties":{"[":{}}})").message, "regular expression"));
  }

  TEST_CASE("a malformed keyword value is an error, not an exception") {
    CHECK(contains(compile_error(R"({"minimum":"x"})").message, "minimum"));
    CHECK_FALSE(json_schema::compile(json("a string")).has_value());
    CHECK_FALSE(json_schema::compile(json(nullptr)).has_value());
  }

} // TEST_SUITE

TEST_SUITE("checklist 4 - tool schemas and input validation") {

  TEST_CASE("a tool schema must be an object schema with type object") {
    CHECK(check_object_schema(json{{"type", "object"}}).has_value());
    for (auto bad : {json(nullptr), json(true), json::object(), json{{"type", "string"}},
                     json{{"type", json::array({"object", "null"})}}}) {
      CAPTURE(bad.dump());
      CHECK_FALSE(check_object_schema(bad).has_value());
      CHECK_FALSE(compile_tool_schema(bad).has_value());
    }
  }

  TEST_CASE("the recommended no-parameter schema accepts only an empty object") {
    auto s = compile_tool_schema(json::parse(R"({"type":"object","additionalProperties":false})"));
    REQUIRE(s.has_value());
    CHECK(accepts(*s, "{}"));
    CHECK_FALSE(accepts(*s, R"({"x":1})"));
    CHECK_FALSE(accepts(*s, "[]"));
  }

  TEST_CASE("validation errors name the failing instance location leaf first without echoes") {
    auto s = compiled(R"({"type":"object","required":["name"],
                        "properties":{"tags":{"type":"array","items":{"type":"string"}},
                                      "a/b":{"type":"integer"}}})");
    auto errors = s.validate(json::parse(R"({"tags":["ok",3],"a/b":"x"})"));
    std::vector<std::string> paths;
    for (const auto& e : errors)
      paths.push_back(e.path);
    CHECK(std::find(paths.begin(), paths.end(), "/tags/1") != paths.end());
    CHECK(std::find(paths.begin(), paths.end(), "/a~1b") != paths.end());
    CHECK(std::find(paths.begin(), paths.end(), "") != paths.end());      // missing "name"
    CHECK(std::find(paths.begin(), paths.end(), "/tags") == paths.end()); // echo dropped
    const auto text = format_schema_errors(errors);
    CHECK(contains(text, "/tags/1: "));
    CHECK(contains(text, "(root): "));
    CHECK(contains(text, "name"));
  }

  TEST_CASE("a compiled schema is shared by copies and validates from several threads") {
    auto s = compiled(
        R"({"type":"object","properties":{"id":{"type":"string","pattern":"^[a-z]+[0-9]*$"}}})");
    const json_schema copy = s;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&copy, &wrong] {
        for (int i = 0; i < 200; ++i) {
          if (!copy.validate(json{{"id", "abc" + std::to_string(i)}}).empty())
            ++wrong;
          if (copy.validate(json{{"id", "9x"}}).empty())
            ++wrong;
        }
      });
    for (auto& t : threads)
      t.join();
    CHECK(wrong == 0);
  }

} // TEST_SUITE
