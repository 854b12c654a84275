// The icon cache: https: and data: icons validated and normalized, everything else rejected
// with a reason, LRU bounds, and a crash that keeps the cache.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cafmcp/actors/services/icon_cache.hpp"
#include "cafmcp/actors/services/icon_messages.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

struct icon_fixture : fixture {
  std::shared_ptr<icon_store> store = std::make_shared<icon_store>();
  icon_settings settings;

  caf::actor start() { return spawn(icon_cache, store, settings); }

  caf::expected<std::string> put(const caf::actor& ic, const std::string& owner,
                                 const std::string& json) {
    return ask<std::string>(ic, ic_put_atom::value, owner, json);
  }
  caf::expected<std::string> get(const caf::actor& ic, const std::string& owner) {
    return ask<std::string>(ic, ic_get_atom::value, owner);
  }
};

const std::string https_icon = R"([{"src":"https://example.com/i.png","mimeType":"image/png",)"
                               R"("sizes":["48x48"],"theme":"dark","extra":1}])";

} // namespace

TEST_CASE("https and data icons are cached per owner, normalized") {
  icon_fixture fx;
  auto ic = fx.start();
  auto stored = fx.put(ic, "tool:echo", https_icon);
  REQUIRE(stored);
  auto j = nlohmann::json::parse(*stored);
  REQUIRE(j.is_array());
  CHECK(j[0]["src"] == "https://example.com/i.png");
  CHECK(j[0]["theme"] == "dark");
  CHECK(!j[0].contains("extra")); // only what MCP defines
  REQUIRE(fx.put(ic, "implementation", R"([{"src":"data:image/svg+xml;base64,PHN2Zy8+"}])"));
  CHECK(*fx.get(ic, "tool:echo") == *stored);
  CHECK(fx.get(ic, "implementation"));
  CHECK(is(fx.get(ic, "tool:other").error(), svc_errc::not_found));
  CHECK(fx.put(ic, "prompt:empty", "[]")); // no icons is a valid list
}

TEST_CASE("icons other than https and data are rejected with a clear reason") {
  icon_fixture fx;
  fx.settings.limits.max_icons_per_list = 3;
  auto ic = fx.start();
  struct bad_case {
    std::string json;
    std::string reason;
  };
  std::vector<bad_case> cases{
      {R"([{"src":"http://example.com/i.png"}])", "https: or data:"},
      {R"js([{"src":"https://ok.example/i.png"},{"src":"javascript:alert(1)"}])js", "icons[1]"},
      {R"([{"src":"file:///etc/passwd"}])", "https: or data:"},
      {R"([{"src":"https://"}])", "no host"},
      {R"([{"src":"https://x.example/a b.png"}])", "spaces"},
      {R"([{"src":"data:image/png;base64"}])", "','"},
      {R"([{"src":"https://x.example/i.png","sizes":["big"]}])", "sizes"},
      {R"([{"src":"https://x.example/i.png","theme":"blue"}])", "theme"},
      {R"([{"mimeType":"image/png"}])", "src"},
      {R"({"src":"https://x.example/i.png"})", "array"},
      {R"([{"src":"https://a.example/1"},{"src":"https://a.example/2"},)"
       R"({"src":"https://a.example/3"},{"src":"https://a.example/4"}])",
       "more than 3"},
      {"not json", "not valid JSON"},
  };
  for (auto& c : cases) {
    CAPTURE(c.json);
    auto r = fx.put(ic, "tool:bad", c.json);
    REQUIRE(!r);
    CHECK(is(r.error(), svc_errc::invalid_icon));
    CHECK_MESSAGE(fx.render(r.error()).find(c.reason) != std::string::npos, fx.render(r.error()));
  }
  CHECK(is(fx.get(ic, "tool:bad").error(), svc_errc::not_found));
  CHECK(is(fx.ask<std::string>(ic, ic_check_atom::value, std::string{"[1]"}).error(),
           svc_errc::invalid_icon));
  CHECK(fx.ask<std::string>(ic, ic_check_atom::value, https_icon));
  CHECK(fx.ask<icon_stats>(ic, ic_stats_atom::value)->rejected == cases.size() + 1);
  CHECK(is(fx.put(ic, "", https_icon).error(), svc_errc::invalid_argument));
}

TEST_CASE("the cache is bounded and drops the least recently used lists first") {
  icon_fixture fx;
  fx.settings.limits.max_entries = 2;
  auto ic = fx.start();
  REQUIRE(fx.put(ic, "a", https_icon));
  REQUIRE(fx.put(ic, "b", https_icon));
  REQUIRE(fx.get(ic, "a")); // a is now more recent than b
  REQUIRE(fx.put(ic, "c", https_icon));
  CHECK(fx.get(ic, "a"));
  CHECK(is(fx.get(ic, "b").error(), svc_errc::not_found));
  CHECK(fx.get(ic, "c"));
  auto stats = fx.ask<icon_stats>(ic, ic_stats_atom::value);
  CHECK(stats->entries == 2u);
  CHECK(stats->evicted == 1u);
  CHECK(!fx.ask_ok(ic, ic_del_atom::value, std::string{"a"}));
  CHECK(is(fx.ask_ok(ic, ic_del_atom::value, std::string{"a"}), svc_errc::not_found));
}

TEST_CASE("the byte bound evicts too, and a list larger than the cache is refused") {
  icon_fixture fx;
  auto ic = fx.start();
  auto size = fx.put(ic, "probe", https_icon)->size();
  REQUIRE(!fx.ask_ok(ic, ic_del_atom::value, std::string{"probe"}));
  fx.settings.limits.max_bytes = size * 2;
  auto bounded = fx.start();
  REQUIRE(fx.put(bounded, "a", https_icon));
  REQUIRE(fx.put(bounded, "b", https_icon));
  REQUIRE(fx.put(bounded, "c", https_icon));
  CHECK(is(fx.get(bounded, "a").error(), svc_errc::not_found));
  CHECK(fx.ask<icon_stats>(bounded, ic_stats_atom::value)->bytes == size * 2);
  auto big = R"([{"src":"data:image/png;base64,)" + std::string(size * 3, 'A') + R"("}])";
  CHECK(is(fx.put(bounded, "big", big).error(), svc_errc::at_capacity));
}

TEST_CASE("icon_cache crash keeps its cache") {
  icon_fixture fx;
  auto supervisor = fx.supervise(icon_cache_spec(fx.store, fx.settings));
  auto ic = fx.child(supervisor, "icon_cache");
  REQUIRE(ic);
  auto stored = fx.put(ic, "tool:echo", https_icon);
  REQUIRE(stored);
  auto restarted = fx.kill_and_await_restart(supervisor, "services_sup", "icon_cache");
  REQUIRE(restarted);
  auto again = fx.get(restarted, "tool:echo");
  REQUIRE(again);
  CHECK(*again == *stored);
  CHECK(fx.put(restarted, "tool:two", https_icon));
  CHECK(
      is(fx.put(restarted, "tool:bad", R"([{"src":"http://x"}])").error(), svc_errc::invalid_icon));
}
