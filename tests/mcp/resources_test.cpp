// resources/list, templates, read, subscribe/unsubscribe and updates
// (checklist §4 "Resources").
#include "support.hpp"

using test::fixture;

namespace {

const std::string png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8"
                        "jx0gAAAABJRU5ErkJggg==";

void add_fixtures(mcp::feature_registry& f) {
  mcp::resource_definition text;
  text.uri = "test://static-text";
  text.name = "Static text";
  text.description = "a text resource";
  text.mime_type = "text/plain";
  text.annotations = {{"audience", {"user"}}, {"priority", 0.5}};
  text.read = [](const mcp::resource_request& r, mcp::call_context&) -> mcp::read_result {
    return std::vector<mcp::resource_content>{mcp::resource_content::text_content(
        r.uri, "text/plain", "This is the content of the static text resource.")};
  };
  REQUIRE(f.add_resource(std::move(text)));
  mcp::resource_definition bin;
  bin.uri = "test://static-binary";
  bin.name = "Static binary";
  bin.mime_type = "image/png";
  bin.read = [](const mcp::resource_request& r, mcp::call_context&) -> mcp::read_result {
    return std::vector<mcp::resource_content>{
        mcp::resource_content::blob_content(r.uri, "image/png", png)};
  };
  REQUIRE(f.add_resource(std::move(bin)));
  mcp::resource_template_definition tmpl;
  tmpl.uri_template = "test://template/{id}/data";
  tmpl.name = "Template";
  tmpl.mime_type = "application/json";
  tmpl.read = [](const mcp::resource_request& r, mcp::call_context&) -> mcp::read_result {
    const auto& id = r.variables.at("id");
    if (id == "missing")
      return cafmcp::protocol::resource_not_found(r.uri);
    json body{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
    return std::vector<mcp::resource_content>{
        mcp::resource_content::text_content(r.uri, "application/json", body.dump())};
  };
  REQUIRE(f.add_resource_template(std::move(tmpl)));
}

} // namespace

TEST_SUITE("checklist 4 - resources") {

  TEST_CASE_FIXTURE(fixture, "resources/list shows uri, name, mimeType and annotations") {
    add_fixtures(features());
    auto c = connect();
    auto caps = c.initialize()["capabilities"];
    CHECK(caps["resources"] == json{{"subscribe", true}, {"listChanged", true}});
    auto list = c.call("resources/list")["resources"];
    REQUIRE(list.size() == 2);
    CHECK(list[0]["uri"] == "test://static-binary"); // sorted by uri
    CHECK(list[1] == json{{"uri", "test://static-text"},
                          {"name", "Static text"},
                          {"description", "a text resource"},
                          {"mimeType", "text/plain"},
                          {"annotations", {{"audience", {"user"}}, {"priority", 0.5}}}});
  }

  TEST_CASE_FIXTURE(fixture, "resources/read returns text contents") {
    add_fixtures(features());
    auto c = connect();
    c.initialize();
    auto r = c.call("resources/read", {{"uri", "test://static-text"}});
    CHECK(r["contents"] == json::array({{{"uri", "test://static-text"},
                                         {"mimeType", "text/plain"},
                                         {"text", "This is the content of the static text "
                                                  "resource."}}}));
  }

  TEST_CASE_FIXTURE(fixture, "resources/read returns blob contents") {
    add_fixtures(features());
    auto c = connect();
    c.initialize();
    auto r = c.call("resources/read", {{"uri", "test://static-binary"}});
    CHECK(r["contents"][0] ==
          json{{"uri", "test://static-binary"}, {"mimeType", "image/png"}, {"blob", png}});
  }

  TEST_CASE_FIXTURE(fixture, "resources/templates/list and a read through a template") {
    add_fixtures(features());
    auto c = connect();
    c.initialize();
    auto list = c.call("resources/templates/list")["resourceTemplates"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["uriTemplate"] == "test://template/{id}/data");
    auto r = c.call("resources/read", {{"uri", "test://template/123/data"}});
    CHECK(r["contents"][0]["uri"] == "test://template/123/data");
    CHECK(r["contents"][0]["text"] ==
          R"({"data":"Data for ID: 123","id":"123","templateTest":true})");
  }

  TEST_CASE_FIXTURE(fixture, "an unknown resource is -32002 with data.uri") {
    add_fixtures(features());
    auto c = connect();
    c.initialize();
    auto err = c.call_error("resources/read", {{"uri", "test://nothing"}});
    CHECK(err["code"] == -32002);
    CHECK(err["data"]["uri"] == "test://nothing");
    // A template that matches but whose handler finds nothing.
    CHECK(c.call_error("resources/read", {{"uri", "test://template/missing/data"}})["code"] ==
          -32002);
  }

  TEST_CASE_FIXTURE(fixture, "an invalid URI is -32602") {
    add_fixtures(features());
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("resources/read", {{"uri", "no scheme here"}})["code"] == -32602);
    CHECK(c.call_error("resources/read", {{"uri", 42}})["code"] == -32602);
    CHECK(c.call_error("resources/subscribe", json::object())["code"] == -32602);
  }

  TEST_CASE_FIXTURE(fixture, "subscribe delivers updates until unsubscribe") {
    add_fixtures(features());
    auto subs = std::dynamic_pointer_cast<mcp::local_subscriptions>(config->subscriptions);
    REQUIRE(subs);
    auto c = connect();
    c.initialize();
    CHECK(c.call("resources/subscribe", {{"uri", "test://watched-resource"}}) == json::object());
    CHECK(subs->subscriber_count("test://watched-resource") == 1);
    CHECK(subs->publish("test://watched-resource") == 1);
    auto n = c.wait(test::method_is("notifications/resources/updated"));
    REQUIRE(n);
    CHECK(n->msg["params"] == json{{"uri", "test://watched-resource"}});
    CHECK(n->related.empty());
    CHECK(c.call("resources/unsubscribe", {{"uri", "test://watched-resource"}}) == json::object());
    CHECK(subs->subscriber_count("test://watched-resource") == 0);
    auto from = c.log().size();
    subs->publish("test://watched-resource");
    c.barrier();
    CHECK_FALSE(c.wait(test::method_is("notifications/resources/updated"), from, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "an update racing an unsubscribe never reaches the client") {
    add_fixtures(features());
    auto c = connect();
    c.initialize();
    c.call("resources/subscribe", {{"uri", "test://w"}});
    c.call("resources/unsubscribe", {{"uri", "test://w"}});
    auto from = c.log().size();
    // As if a node-wide service still had the old subscription.
    caf::anon_send(c.server(), cafmcp::services::rs_updated_atom::value, std::string{"test://w"},
                   std::string{"test-session"});
    c.barrier();
    CHECK_FALSE(c.wait(test::method_is("notifications/resources/updated"), from, test::settle));
  }

  TEST_CASE_FIXTURE(fixture, "a session's subscriptions are dropped when it ends") {
    add_fixtures(features());
    auto subs = std::dynamic_pointer_cast<mcp::local_subscriptions>(config->subscriptions);
    {
      auto c = connect();
      c.initialize();
      c.call("resources/subscribe", {{"uri", "test://w"}});
      CHECK(subs->subscriber_count("test://w") == 1);
      caf::scoped_actor self{sys};
      self->monitor(c.server());
      caf::anon_send(c.server(), mcp::session_close_atom::value);
      self->receive([](caf::down_msg&) {}, caf::after(test::deadline) >> [] {});
    }
    CHECK(subs->subscriber_count("test://w") == 0);
  }
}
