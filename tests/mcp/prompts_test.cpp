// prompts/list, prompts/get and completion/complete (checklist §4 "Prompts",
// "Completion").
#include "support.hpp"

using test::fixture;

namespace {

void add_prompts(mcp::feature_registry& f) {
  mcp::prompt_definition simple;
  simple.name = "test_simple_prompt";
  simple.description = "A simple prompt";
  simple.get = [](const mcp::prompt_request&, mcp::call_context&) -> mcp::prompt_get_result {
    return json::array(
        {mcp::prompt_message("user", mcp::content::text("This is a simple prompt for testing."))});
  };
  REQUIRE(f.add_prompt(std::move(simple)));
  mcp::prompt_definition args;
  args.name = "test_prompt_with_arguments";
  args.title = "With arguments";
  args.description = "A prompt with arguments";
  args.arguments = {
      {"arg1", "", "First", true}, {"arg2", "", "Second", true}, {"arg3", "", "Optional", false}};
  args.get = [](const mcp::prompt_request& r, mcp::call_context&) -> mcp::prompt_get_result {
    if (r.arguments.at("arg1") == "bad")
      return cafmcp::protocol::invalid_params("arg1 may not be bad", "bad_arg");
    return json{
        {"description", "with args"},
        {"messages",
         {mcp::prompt_message("user", mcp::content::text("Prompt with arguments: arg1='" +
                                                         r.arguments.at("arg1") + "', arg2='" +
                                                         r.arguments.at("arg2") + "'"))}}};
  };
  REQUIRE(f.add_prompt(std::move(args)));
}

} // namespace

TEST_SUITE("checklist 4 - prompts") {

  TEST_CASE_FIXTURE(fixture, "prompts/list shows names, descriptions and arguments") {
    add_prompts(features());
    auto c = connect();
    CHECK(c.initialize()["capabilities"]["prompts"] == json{{"listChanged", true}});
    auto list = c.call("prompts/list")["prompts"];
    REQUIRE(list.size() == 2);
    CHECK(list[0]["name"] == "test_prompt_with_arguments");
    CHECK(list[0]["title"] == "With arguments");
    CHECK(list[0]["arguments"][0] ==
          json{{"name", "arg1"}, {"description", "First"}, {"required", true}});
    CHECK(list[1] == json{{"name", "test_simple_prompt"}, {"description", "A simple prompt"}});
  }

  TEST_CASE_FIXTURE(fixture, "prompts/get returns the messages") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    auto r = c.call("prompts/get", {{"name", "test_simple_prompt"}});
    CHECK(r["messages"] ==
          json::array({{{"role", "user"},
                        {"content",
                         {{"type", "text"}, {"text", "This is a simple prompt for testing."}}}}}));
  }

  TEST_CASE_FIXTURE(fixture, "prompts/get passes arguments") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    auto r =
        c.call("prompts/get", {{"name", "test_prompt_with_arguments"},
                               {"arguments", {{"arg1", "testValue1"}, {"arg2", "testValue2"}}}});
    CHECK(r["description"] == "with args");
    CHECK(r["messages"][0]["content"]["text"] ==
          "Prompt with arguments: arg1='testValue1', arg2='testValue2'");
  }

  TEST_CASE_FIXTURE(fixture, "a missing required argument is -32602") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    auto err = c.call_error(
        "prompts/get", {{"name", "test_prompt_with_arguments"}, {"arguments", {{"arg1", "x"}}}});
    CHECK(err["code"] == -32602);
    CHECK(err["data"]["argument"] == "arg2");
  }

  TEST_CASE_FIXTURE(fixture, "an unknown prompt or non-string arguments are -32602") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("prompts/get", {{"name", "nope"}})["code"] == -32602);
    CHECK(c.call_error("prompts/get", {{"name", "test_prompt_with_arguments"},
                                       {"arguments", {{"arg1", 1}, {"arg2", "x"}}}})["code"] ==
          -32602);
  }

  TEST_CASE_FIXTURE(fixture, "a handler's JSON-RPC error reaches the client") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    auto err = c.call_error("prompts/get", {{"name", "test_prompt_with_arguments"},
                                            {"arguments", {{"arg1", "bad"}, {"arg2", "x"}}}});
    CHECK(err["code"] == -32602);
    CHECK(err["message"] == "arg1 may not be bad");
  }
}

TEST_SUITE("checklist 4 - completion") {

  TEST_CASE_FIXTURE(fixture, "completion/complete without a provider answers empty values") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    auto r = c.call("completion/complete",
                    {{"ref", {{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
                     {"argument", {{"name", "arg1"}, {"value", "test"}}}});
    CHECK(r["completion"]["values"] == json::array());
  }

  TEST_CASE_FIXTURE(fixture, "a provider's values are capped at 100 with total and hasMore") {
    add_prompts(features());
    REQUIRE(features().add_completion(mcp::completion_ref::prompt("test_prompt_with_arguments"),
                                      [](const mcp::completion_request& r) {
                                        mcp::completion_values v;
                                        for (int i = 0; i < 150; ++i)
                                          v.values.push_back(r.value + std::to_string(i));
                                        return v;
                                      }));
    auto c = connect();
    c.initialize();
    auto r = c.call("completion/complete",
                    {{"ref", {{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
                     {"argument", {{"name", "arg1"}, {"value", "v"}}}})["completion"];
    CHECK(r["values"].size() == 100);
    CHECK(r["values"][0] == "v0");
    CHECK(r["total"] == 150);
    CHECK(r["hasMore"] == true);
  }

  TEST_CASE_FIXTURE(fixture, "completion for a resource template gets the context arguments") {
    mcp::resource_template_definition t;
    t.uri_template = "repo://{owner}/{name}";
    t.name = "repo";
    t.read = [](const mcp::resource_request&, mcp::call_context&) -> mcp::read_result {
      return std::vector<mcp::resource_content>{};
    };
    REQUIRE(features().add_resource_template(std::move(t)));
    REQUIRE(features().add_completion(mcp::completion_ref::resource("repo://{owner}/{name}"),
                                      [](const mcp::completion_request& r) {
                                        mcp::completion_values v;
                                        v.values = {r.context.at("owner") + "/" + r.value + "-x"};
                                        return v;
                                      }));
    auto c = connect();
    c.initialize();
    auto r = c.call("completion/complete",
                    {{"ref", {{"type", "ref/resource"}, {"uri", "repo://{owner}/{name}"}}},
                     {"argument", {{"name", "name"}, {"value", "caf"}}},
                     {"context", {{"arguments", {{"owner", "actor-framework"}}}}}});
    CHECK(r["completion"]["values"] == json{"actor-framework/caf-x"});
    CHECK(r["completion"]["hasMore"] == false);
  }

  TEST_CASE_FIXTURE(fixture, "completion with a bad ref or argument is -32602") {
    add_prompts(features());
    auto c = connect();
    c.initialize();
    CHECK(c.call_error("completion/complete",
                       {{"ref", {{"type", "ref/prompt"}, {"name", "nope"}}},
                        {"argument", {{"name", "a"}, {"value", ""}}}})["code"] == -32602);
    CHECK(c.call_error("completion/complete",
                       {{"ref", {{"type", "ref/other"}, {"name", "x"}}},
                        {"argument", {{"name", "a"}, {"value", ""}}}})["code"] == -32602);
    CHECK(
        c.call_error("completion/complete",
                     {{"ref", {{"type", "ref/prompt"}, {"name", "test_simple_prompt"}}}})["code"] ==
        -32602);
  }
}
