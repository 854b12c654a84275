// RFC 6570 level 1-2 templates for resource templates (checklist §4
// "Resources": templates with RFC 6570 uriTemplate).
#include <doctest/doctest.h>

#include <chrono>

#include "cafmcp/actors/mcp/uri_template.hpp"

using cafmcp::mcp::uri_template;

TEST_SUITE("checklist 4 - resources: uri templates") {

  TEST_CASE("a level-1 template matches and extracts its variable") {
    auto t = uri_template::parse("test://template/{id}/data");
    REQUIRE(t);
    uri_template::variables vars;
    CHECK(t->match("test://template/123/data", vars));
    CHECK(vars.at("id") == "123");
    CHECK_FALSE(t->match("test://template/1/2/data", vars));
    CHECK_FALSE(t->match("test://template//data", vars));
    CHECK_FALSE(t->match("test://other/123/data", vars));
  }
}

TEST_SUITE("checklist 4 - resources: uri templates") {

  TEST_CASE("simple values are percent-decoded and reserved expansion spans slashes") {
    auto t = uri_template::parse("file:///{+path}");
    REQUIRE(t);
    uri_template::variables vars;
    CHECK(t->match("file:///home/user/a b.txt", vars));
    CHECK(vars.at("path") == "home/user/a b.txt");
    auto s = uri_template::parse("search://{query}");
    REQUIRE(s);
    CHECK(s->match("search://caf%20actors", vars));
    CHECK(vars.at("query") == "caf actors");
  }

  TEST_CASE("fragment expansion needs the '#'") {
    auto t = uri_template::parse("doc://page{#section}");
    REQUIRE(t);
    uri_template::variables vars;
    CHECK(t->match("doc://page#intro", vars));
    CHECK(vars.at("section") == "intro");
    CHECK_FALSE(t->match("doc://pageintro", vars));
  }

  TEST_CASE("expansion encodes per operator and round-trips through match") {
    auto t = uri_template::parse("x://{a}/{+b}");
    REQUIRE(t);
    auto uri = t->expand({{"a", "one two/three"}, {"b", "p/q r"}});
    CHECK(uri == "x://one%20two%2Fthree/p/q%20r");
    uri_template::variables vars;
    // "one%20two%2Fthree" has no raw '/', so the simple variable matches it.
    CHECK(t->match(uri, vars));
    CHECK(vars.at("a") == "one two/three");
    CHECK(t->variable_names() == std::vector<std::string>{"a", "b"});
  }

  TEST_CASE("levels 3 and 4 and malformed templates are refused") {
    CHECK_FALSE(uri_template::parse("x://{a,b}"));
    CHECK_FALSE(uri_template::parse("x://{?q}"));
    CHECK_FALSE(uri_template::parse("x://{a*}"));
    CHECK_FALSE(uri_template::parse("x://{a:3}"));
    CHECK_FALSE(uri_template::parse("x://{a"));
    CHECK_FALSE(uri_template::parse("x://a}"));
    CHECK_FALSE(uri_template::parse("x://{}"));
    CHECK_FALSE(uri_template::parse("x://{a}{b}"));
    CHECK(uri_template::parse("no-variables://at/all"));
  }

  TEST_CASE("long and hostile URIs neither recurse deeply nor explode") {
    auto t = uri_template::parse("x://{+a}/end");
    REQUIRE(t);
    uri_template::variables vars;
    CHECK(t->match("x://" + std::string(4000, 'a') + "/end", vars));
    CHECK(vars.at("a").size() == 4000);
    // Over the limit: never matched (the read answers not found).
    CHECK_FALSE(t->match("x://" + std::string(100000, 'a') + "/end", vars));
    // Many candidate splits and no match: memoised, so this is quick.
    auto many = uri_template::parse("x://{+a}/{+b}/{+c}/end");
    REQUIRE(many);
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(many->match("x://" + std::string(4000, '/') + "zzz", vars));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{5});
  }
}
