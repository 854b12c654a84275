// Icons of the implementation, tools, resources, templates and prompts go
// through the node's icon_cache service (checklist §1 Icons, §0 SEP-973):
// refused by its rules at registration, kept there under their owner key,
// forgotten on removal, and listed to clients that know icons.
#include "support.hpp"

#include "cafmcp/actors/mcp/icon_port.hpp"
#include "cafmcp/actors/services/icon_cache.hpp"
#include "cafmcp/actors/services/icon_messages.hpp"

namespace svc = cafmcp::services;
using cafmcp::protocol::icon;

namespace {

struct icon_fixture : test::fixture {
  std::shared_ptr<svc::service_ref> ref = std::make_shared<svc::service_ref>();
  caf::actor cache;
  std::shared_ptr<mcp::icon_port> port;

  icon_fixture() {
    svc::icon_settings settings;
    settings.ref = ref;
    cache = sys.spawn(svc::icon_cache, std::make_shared<svc::icon_store>(), settings);
    auto until = std::chrono::steady_clock::now() + test::deadline;
    while (!ref->get() && std::chrono::steady_clock::now() < until)
      std::this_thread::yield();
    REQUIRE(ref->get());
    port = std::make_shared<mcp::icon_port>(ref);
  }

  ~icon_fixture() { caf::anon_send_exit(cache, caf::exit_reason::kill); }

  // The cached list of `owner` once it satisfies `pred` (polls: the cache is
  // updated by message).
  std::optional<json> cached(const std::string& owner,
                             const std::function<bool(const std::optional<json>&)>& pred) {
    caf::scoped_actor self{sys};
    auto until = std::chrono::steady_clock::now() + test::deadline;
    while (std::chrono::steady_clock::now() < until) {
      std::optional<json> got;
      self->request(cache, test::deadline, svc::ic_get_atom::value, owner)
          .receive([&](std::string& text) { got = json::parse(text); }, [](caf::error&) {});
      if (pred(got))
        return got;
      std::this_thread::sleep_for(5ms);
    }
    return std::nullopt;
  }

  static bool present(const std::optional<json>& j) { return j.has_value(); }
  // True once the cache no longer has `owner`.
  bool gone(const std::string& owner) {
    bool absent = false;
    cached(owner, [&](const std::optional<json>& j) { return absent = !j.has_value(); });
    return absent;
  }
};

const icon https_icon{
    "https://example.com/tool.png", "image/png", {"48x48"}, cafmcp::protocol::icon_theme::dark};

mcp::tool_definition tool_with(std::string name, std::vector<icon> icons) {
  mcp::tool_definition t;
  t.name = std::move(name);
  t.description = "d";
  t.icons = std::move(icons);
  t.handler = [](const json&, mcp::call_context&) { return mcp::text_result("x"); };
  return t;
}

std::string refusal(const caf::expected<void>& r) {
  REQUIRE_FALSE(r);
  return mcp::describe(r.error());
}

} // namespace

TEST_SUITE("checklist 1 - icons through the icon cache") {

  TEST_CASE("only https: and data: icons are accepted, and the refusal says why") {
    mcp::feature_registry f;
    for (const char* src : {"http://example.com/i.png", "javascript:alert(1)", "file:///etc/passwd",
                            "ftp://x/i.png", "", "//example.com/i.png"}) {
      auto why = refusal(f.add_tool(tool_with("t", {icon{src, {}, {}, {}}})));
      CHECK_MESSAGE(why.find("icons[0]") != std::string::npos, why);
      CHECK_MESSAGE(why.find("https: or data:") != std::string::npos, why);
    }
    auto why = refusal(f.add_tool(tool_with("t", {https_icon, icon{"http://x", {}, {}, {}}})));
    CHECK_MESSAGE(why.find("icons[1]") != std::string::npos, why);
    CHECK(
        f.add_tool(tool_with("ok", {https_icon, icon{"data:image/png;base64,AAAA", {}, {}, {}}})));
  }

  TEST_CASE("a list longer than the cache allows is refused") {
    mcp::feature_registry f;
    std::vector<icon> many(svc::icon_limits{}.max_icons_per_list + 1, https_icon);
    CHECK(refusal(f.add_tool(tool_with("t", many))).find("icons") != std::string::npos);
  }

  TEST_CASE_FIXTURE(icon_fixture, "registered icons are kept in the cache and removal forgets "
                                  "them") {
    auto& f = features();
    REQUIRE(f.add_tool(tool_with("before", {https_icon})));
    f.use_icon_cache(port);
    // Registered before the port existed: published when it is set.
    auto before = cached("tool:before", present);
    REQUIRE(before);
    CHECK((*before)[0]["src"] == https_icon.src);
    CHECK((*before)[0]["theme"] == "dark");

    REQUIRE(f.add_tool(tool_with("after", {https_icon})));
    CHECK(cached("tool:after", present));
    mcp::prompt_definition p;
    p.name = "p";
    p.icons = {https_icon};
    p.get = [](const mcp::prompt_request&, mcp::call_context&) -> mcp::prompt_get_result {
      return json::array();
    };
    REQUIRE(f.add_prompt(std::move(p)));
    CHECK(cached("prompt:p", present));
    mcp::resource_definition r;
    r.uri = "test://r";
    r.name = "r";
    r.icons = {https_icon};
    r.read = [](const mcp::resource_request&, mcp::call_context&) -> mcp::read_result {
      return std::vector<mcp::resource_content>{};
    };
    REQUIRE(f.add_resource(std::move(r)));
    CHECK(cached("resource:test://r", present));
    mcp::resource_template_definition t;
    t.uri_template = "test://t/{id}";
    t.name = "t";
    t.icons = {https_icon};
    t.read = [](const mcp::resource_request&, mcp::call_context&) -> mcp::read_result {
      return std::vector<mcp::resource_content>{};
    };
    REQUIRE(f.add_resource_template(std::move(t)));
    CHECK(cached("template:test://t/{id}", present));

    CHECK(f.remove_tool("after"));
    CHECK(gone("tool:after"));
    CHECK(f.remove_prompt("p"));
    CHECK(gone("prompt:p"));
    CHECK(cached("tool:before", present));
  }

  TEST_CASE("without a running cache, icons go straight into its store") {
    auto store = std::make_shared<svc::icon_store>();
    mcp::icon_port port{std::make_shared<svc::service_ref>(), store};
    port.put("tool:early", {https_icon});
    auto kept = store->get("tool:early");
    REQUIRE(kept);
    CHECK(json::parse(*kept)[0]["src"] == https_icon.src);
    port.forget("tool:early");
    CHECK_FALSE(store->get("tool:early"));
  }

  TEST_CASE_FIXTURE(icon_fixture, "the implementation's icons are kept and listed") {
    config->info.name = "iconic";
    config->info.icons = {https_icon};
    port->put("implementation", config->info.icons);
    CHECK(cached("implementation", present));
    REQUIRE(features().add_tool(tool_with("t", {https_icon})));
    auto c = connect();
    auto init = c.initialize();
    CHECK(init["serverInfo"]["icons"][0]["src"] == https_icon.src);
    CHECK(c.call("tools/list")["tools"][0]["icons"][0]["sizes"] == json::array({"48x48"}));
    // Revisions before 2025-11-25 know no icons.
    auto old = connect("old");
    CHECK_FALSE(old.initialize("2025-06-18")["serverInfo"].contains("icons"));
    CHECK_FALSE(old.call("tools/list")["tools"][0].contains("icons"));
  }
}
