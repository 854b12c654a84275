// The official conformance suite's server scenarios (conformance-fixtures.md),
// replayed in-process against the fixture set with their exact payloads, so
// that a regression shows here before the suite runs over HTTP.
#include "support.hpp"

#include "cafmcp/actors/mcp/conformance_fixtures.hpp"

namespace conf = cafmcp::mcp::conformance;

namespace {

struct conformance_fixture : test::fixture {
  test::client c;

  conformance_fixture() : c(start()) {
    // The suite's client: sampling and elicitation, nothing else.
    c.initialize("2025-11-25", {{"sampling", json::object()}, {"elicitation", json::object()}});
  }

  test::client start() {
    REQUIRE(conf::register_fixtures(features()));
    return connect();
  }

  json call_tool(const std::string& name, json args = nullptr) {
    json params{{"name", name}};
    if (!args.is_null())
      params["arguments"] = std::move(args);
    return c.call("tools/call", std::move(params));
  }
};

} // namespace

TEST_SUITE("checklist 8 - conformance scenarios") {

  TEST_CASE_FIXTURE(conformance_fixture, "server-initialize, ping and logging-set-level") {
    auto caps = test::client{sys, config, "again"}.initialize()["capabilities"];
    for (auto key : {"tools", "resources", "prompts", "logging", "completions"})
      CHECK(caps.contains(key));
    CHECK(caps["resources"]["subscribe"] == true);
    CHECK(c.call("ping") == json::object());
    CHECK(c.call("logging/setLevel", {{"level", "info"}}) == json::object());
  }

  TEST_CASE_FIXTURE(conformance_fixture, "completion-complete") {
    auto r = c.call("completion/complete",
                    {{"ref", {{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
                     {"argument", {{"name", "arg1"}, {"value", "test"}}}});
    CHECK(r["completion"]["values"].is_array());
  }

  TEST_CASE_FIXTURE(conformance_fixture, "tools-list: every tool has a description and an "
                                         "inputSchema") {
    auto tools = c.call("tools/list")["tools"];
    CHECK(tools.size() >= 12);
    for (const auto& t : tools) {
      CHECK(t["description"].is_string());
      CHECK_FALSE(t["description"].get<std::string>().empty());
      CHECK(t["inputSchema"]["type"] == "object");
    }
  }

  TEST_CASE_FIXTURE(conformance_fixture, "tools-call: text, image, audio, embedded resource, "
                                         "mixed content and error") {
    CHECK(
        call_tool("test_simple_text")["content"] ==
        json::array({{{"type", "text"}, {"text", "This is a simple text response for testing."}}}));
    CHECK(
        call_tool("test_image_content")["content"] ==
        json::array({{{"type", "image"}, {"data", conf::png_base64}, {"mimeType", "image/png"}}}));
    CHECK(
        call_tool("test_audio_content")["content"] ==
        json::array({{{"type", "audio"}, {"data", conf::wav_base64}, {"mimeType", "audio/wav"}}}));
    CHECK(call_tool("test_embedded_resource")["content"][0] ==
          json{{"type", "resource"},
               {"resource",
                {{"uri", "test://embedded-resource"},
                 {"mimeType", "text/plain"},
                 {"text", "This is an embedded resource content."}}}});
    CHECK(call_tool("test_multiple_content_types")["content"] ==
          json::array({{{"type", "text"}, {"text", "Multiple content types test:"}},
                       {{"type", "image"}, {"data", conf::png_base64}, {"mimeType", "image/png"}},
                       {{"type", "resource"},
                        {"resource",
                         {{"uri", "test://mixed-content-resource"},
                          {"mimeType", "application/json"},
                          {"text", R"({"test":"data","value":123})"}}}}}));
    CHECK(call_tool("test_error_handling") ==
          json{{"content",
                {{{"type", "text"},
                  {"text", "This tool intentionally returns an error for testing"}}}},
               {"isError", true}});
  }

  TEST_CASE_FIXTURE(conformance_fixture, "tools-call-with-logging: three messages before the "
                                         "result") {
    c.call("logging/setLevel", {{"level", "debug"}});
    auto id = c.request("tools/call", {{"name", "test_tool_with_logging"}});
    c.await_response(id);
    std::vector<json> logs;
    for (const auto& m : c.log().snapshot()) {
      if (test::is_response_to(m, id))
        break;
      if (m.msg.value("method", "") == "notifications/message")
        logs.push_back(m.msg["params"]);
    }
    CHECK(logs == std::vector<json>{{{"level", "info"}, {"data", "Tool execution started"}},
                                    {{"level", "info"}, {"data", "Tool processing data"}},
                                    {{"level", "info"}, {"data", "Tool execution completed"}}});
  }

  TEST_CASE_FIXTURE(conformance_fixture, "tools-call-with-progress: 0, 50, 100 before the result, "
                                         "token echoed verbatim") {
    // The SDK uses the request id as the token.
    c.send(json{
        {"jsonrpc", "2.0"},
        {"id", 42},
        {"method", "tools/call"},
        {"params", {{"name", "test_tool_with_progress"}, {"_meta", {{"progressToken", 42}}}}}});
    c.await_response(42);
    std::vector<json> progress;
    for (const auto& m : c.log().snapshot()) {
      if (test::is_response_to(m, 42))
        break;
      if (m.msg.value("method", "") == "notifications/progress")
        progress.push_back(m.msg["params"]);
    }
    REQUIRE(progress.size() == 3);
    CHECK(progress[0] == json{{"progressToken", 42}, {"progress", 0}, {"total", 100}});
    CHECK(progress[1] == json{{"progressToken", 42}, {"progress", 50}, {"total", 100}});
    CHECK(progress[2] == json{{"progressToken", 42}, {"progress", 100}, {"total", 100}});
  }

  TEST_CASE_FIXTURE(conformance_fixture, "tools-call-sampling") {
    auto id =
        c.request("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "Hi"}}}});
    auto req = c.wait(test::method_is("sampling/createMessage"));
    REQUIRE(req);
    CHECK(req->msg["params"] ==
          json{{"messages", {{{"role", "user"}, {"content", {{"type", "text"}, {"text", "Hi"}}}}}},
               {"maxTokens", 100}});
    c.respond(req->msg["id"], {{"role", "assistant"},
                               {"content", {{"type", "text"}, {"text", "This is a test response"}}},
                               {"model", "test-model"},
                               {"stopReason", "endTurn"}});
    CHECK(c.await_response(id)["result"]["content"][0]["text"] ==
          "LLM response: This is a test response");
  }

  TEST_CASE_FIXTURE(conformance_fixture, "tools-call-elicitation and the SEP-1034 and SEP-1330 "
                                         "schemas") {
    auto id = c.request("tools/call",
                        {{"name", "test_elicitation"}, {"arguments", {{"message", "Your name?"}}}});
    auto req = c.wait(test::method_is("elicitation/create"));
    REQUIRE(req);
    CHECK(req->msg["params"]["message"] == "Your name?");
    const auto& asked = req->msg["params"]["requestedSchema"];
    CHECK(asked["type"] == "object");
    CHECK(asked["properties"]["username"]["type"] == "string");
    CHECK(asked["properties"]["email"]["type"] == "string");
    CHECK(asked["required"] == json{"username", "email"});
    c.respond(req->msg["id"],
              {{"action", "accept"}, {"content", {{"username", "u"}, {"email", "u@example.com"}}}});
    CHECK(c.await_response(id)["result"]["content"][0]["text"] ==
          R"(User response: action=accept, content={"email":"u@example.com","username":"u"})");

    auto from = c.log().size();
    auto id2 = c.request("tools/call", {{"name", "test_elicitation_sep1034_defaults"}});
    auto defaults = c.wait(test::method_is("elicitation/create"), from);
    REQUIRE(defaults);
    // conformance-fixtures.md, elicitation-sep1034-defaults: exactly these.
    CHECK(
        defaults->msg["params"]["requestedSchema"] ==
        json{
            {"type", "object"},
            {"properties",
             {{"name", {{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
              {"age", {{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
              {"score", {{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
              {"status",
               {{"type", "string"},
                {"description", "User status"},
                {"enum", {"active", "inactive", "pending"}},
                {"default", "active"}}},
              {"verified",
               {{"type", "boolean"}, {"description", "Verification status"}, {"default", true}}}}},
            {"required", json::array()}});
    c.respond(defaults->msg["id"], {{"action", "decline"}});
    CHECK(c.await_response(id2)["result"]["content"][0]["text"] ==
          "Elicitation completed: action=decline, content={}");

    from = c.log().size();
    auto id3 = c.request("tools/call", {{"name", "test_elicitation_sep1330_enums"}});
    auto enums = c.wait(test::method_is("elicitation/create"), from);
    REQUIRE(enums);
    // conformance-fixtures.md, elicitation-sep1330-enums: the five shapes,
    // each without the members of the others.
    const auto& schema = enums->msg["params"]["requestedSchema"];
    CHECK(schema["type"] == "object");
    CHECK(schema["required"] == json::array());
    const auto& e = schema["properties"];
    CHECK(e.size() == 5);
    CHECK(e["untitledSingle"] == json{{"type", "string"},
                                      {"description", "Select one option"},
                                      {"enum", {"option1", "option2", "option3"}}});
    CHECK(e["titledSingle"] == json{{"type", "string"},
                                    {"description", "Select one option with titles"},
                                    {"oneOf",
                                     {{{"const", "value1"}, {"title", "First Option"}},
                                      {{"const", "value2"}, {"title", "Second Option"}},
                                      {{"const", "value3"}, {"title", "Third Option"}}}}});
    CHECK(e["legacyEnum"] == json{{"type", "string"},
                                  {"description", "Select one option (legacy)"},
                                  {"enum", {"opt1", "opt2", "opt3"}},
                                  {"enumNames", {"Option One", "Option Two", "Option Three"}}});
    CHECK(e["untitledMulti"] ==
          json{{"type", "array"},
               {"description", "Select multiple options"},
               {"items", {{"type", "string"}, {"enum", {"option1", "option2", "option3"}}}}});
    CHECK(e["titledMulti"]["type"] == "array");
    CHECK_FALSE(e["titledMulti"]["items"].contains("enum"));
    CHECK(e["titledMulti"]["items"]["anyOf"] ==
          json{{{"const", "value1"}, {"title", "First Choice"}},
               {{"const", "value2"}, {"title", "Second Choice"}},
               {{"const", "value3"}, {"title", "Third Choice"}}});
    c.respond(enums->msg["id"], {{"action", "cancel"}});
    c.await_response(id3);
  }

  TEST_CASE_FIXTURE(conformance_fixture, "resources-list, -read-text, -read-binary, "
                                         "-templates-read, -subscribe, -unsubscribe") {
    auto list = c.call("resources/list")["resources"];
    REQUIRE(list.size() == 3);
    for (const auto& r : list) {
      CHECK(r.contains("uri"));
      CHECK(r.contains("name"));
    }
    CHECK(c.call("resources/read", {{"uri", "test://static-text"}})["contents"][0] ==
          json{{"uri", "test://static-text"},
               {"mimeType", "text/plain"},
               {"text", "This is the content of the static text resource."}});
    CHECK(c.call("resources/read", {{"uri", "test://static-binary"}})["contents"][0] ==
          json{{"uri", "test://static-binary"},
               {"mimeType", "image/png"},
               {"blob", conf::png_base64}});
    CHECK(c.call("resources/read", {{"uri", "test://template/123/data"}})["contents"][0] ==
          json{{"uri", "test://template/123/data"},
               {"mimeType", "application/json"},
               {"text", R"({"id":"123","templateTest":true,"data":"Data for ID: 123"})"}});
    CHECK(c.call("resources/subscribe", {{"uri", "test://watched-resource"}}) == json::object());
    CHECK(c.call("resources/unsubscribe", {{"uri", "test://watched-resource"}}) == json::object());
  }

  TEST_CASE_FIXTURE(conformance_fixture, "prompts-list and prompts-get: simple, with arguments, "
                                         "embedded resource, image") {
    auto prompts = c.call("prompts/list")["prompts"];
    CHECK(prompts.size() == 4);
    for (const auto& p : prompts) {
      CHECK(p.contains("name"));
      CHECK_FALSE(p["description"].get<std::string>().empty());
    }
    CHECK(
        c.call("prompts/get", {{"name", "test_simple_prompt"}})["messages"][0]["content"]["text"] ==
        "This is a simple prompt for testing.");
    CHECK(c.call("prompts/get", {{"name", "test_prompt_with_arguments"},
                                 {"arguments",
                                  {{"arg1", "testValue1"},
                                   {"arg2", "testValue2"}}}})["messages"][0]["content"]["text"] ==
          "Prompt with arguments: arg1='testValue1', arg2='testValue2'");
    auto embedded =
        c.call("prompts/get", {{"name", "test_prompt_with_embedded_resource"},
                               {"arguments", {{"resourceUri", "test://example"}}}})["messages"];
    CHECK(embedded[0]["content"] == json{{"type", "resource"},
                                         {"resource",
                                          {{"uri", "test://example"},
                                           {"mimeType", "text/plain"},
                                           {"text", "Embedded resource content for testing."}}}});
    CHECK(embedded[1]["content"]["text"] == "Please process the embedded resource above.");
    auto image = c.call("prompts/get", {{"name", "test_prompt_with_image"}})["messages"];
    CHECK(image[0]["content"] ==
          json{{"type", "image"}, {"data", conf::png_base64}, {"mimeType", "image/png"}});
    CHECK(image[1]["content"]["text"] == "Please analyze the image above.");
  }

  TEST_CASE_FIXTURE(conformance_fixture, "json-schema-2020-12: the listed schema keeps $schema "
                                         "and $defs") {
    auto tools = c.call("tools/list")["tools"];
    json listed;
    for (const auto& t : tools)
      if (t["name"] == "json_schema_2020_12_tool")
        listed = t["inputSchema"];
    // Listed exactly as registered: $schema and $defs survive.
    CHECK(listed ==
          json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
               {"type", "object"},
               {"$defs",
                {{"address",
                  {{"type", "object"},
                   {"properties",
                    {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
               {"properties",
                {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
               {"additionalProperties", false}});
    auto ok = call_tool("json_schema_2020_12_tool", {{"name", "n"}, {"address", {{"city", "c"}}}});
    CHECK_FALSE(ok.contains("isError"));
    auto bad = call_tool("json_schema_2020_12_tool", {{"name", "n"}, {"extra", 1}});
    CHECK(bad["isError"] == true);
  }
}
