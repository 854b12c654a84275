#include "cafmcp/actors/mcp/conformance_fixtures.hpp"

#include <chrono>
#include <thread>

#include "cafmcp/actors/mcp/content.hpp"
#include "cafmcp/actors/mcp/mcp_error.hpp"

namespace cafmcp::mcp::conformance {

using nlohmann::json;
using protocol::log_level;

const char* const png_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwA"
                               "FBQIAX8jx0gAAAABJRU5ErkJggg==";
const char* const wav_base64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

namespace {

// The reference server paces its logging and progress fixtures with 50 ms
// pauses; the handlers run on their own threads (execution::blocking).
constexpr auto pause = std::chrono::milliseconds{50};

tool_definition tool(std::string name, std::string description, tool_fn fn) {
  tool_definition t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.handler = std::move(fn);
  return t;
}

json string_args(std::initializer_list<const char*> names) {
  json props = json::object();
  json required = json::array();
  for (const auto* n : names) {
    props[n] = {{"type", "string"}};
    required.push_back(n);
  }
  return json{
      {"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
}

std::string elicit_summary(const caf::expected<json>& reply, const char* prefix) {
  if (!reply)
    return std::string{prefix} + "error=" + describe(reply.error());
  auto action = reply->value("action", std::string{"unknown"});
  auto content = reply->contains("content") ? (*reply)["content"].dump() : std::string{"{}"};
  return std::string{prefix} + "action=" + action + ", content=" + content;
}

std::vector<tool_definition> tools() {
  std::vector<tool_definition> out;
  out.push_back(tool("test_simple_text", "Tests simple text content response",
                     [](const json&, call_context&) {
                       return text_result("This is a simple text response for testing.");
                     }));
  out.push_back(
      tool("test_image_content", "Tests image content response", [](const json&, call_context&) {
        return tool_result(json::array({content::image(png_base64, "image/png")}));
      }));
  out.push_back(
      tool("test_audio_content", "Tests audio content response", [](const json&, call_context&) {
        return tool_result(json::array({content::audio(wav_base64, "audio/wav")}));
      }));
  out.push_back(tool("test_embedded_resource", "Tests embedded resource content response",
                     [](const json&, call_context&) {
                       return tool_result(json::array(
                           {content::embedded_text("test://embedded-resource", "text/plain",
                                                   "This is an embedded resource content.")}));
                     }));
  out.push_back(tool(
      "test_multiple_content_types",
      "Tests response with multiple content types (text, image, resource)",
      [](const json&, call_context&) {
        return tool_result(json::array(
            {content::text("Multiple content types test:"), content::image(png_base64, "image/png"),
             content::embedded_text("test://mixed-content-resource", "application/json",
                                    R"({"test":"data","value":123})")}));
      }));
  out.push_back(tool("test_tool_with_logging",
                     "Tests tool that emits log messages during execution",
                     [](const json&, call_context& ctx) {
                       ctx.log(log_level::info, "Tool execution started");
                       std::this_thread::sleep_for(pause);
                       ctx.log(log_level::info, "Tool processing data");
                       std::this_thread::sleep_for(pause);
                       ctx.log(log_level::info, "Tool execution completed");
                       return text_result("Tool with logging executed successfully");
                     }));
  out.push_back(tool("test_tool_with_progress", "Tests tool that reports progress notifications",
                     [](const json&, call_context& ctx) {
                       ctx.progress(0, 100);
                       std::this_thread::sleep_for(pause);
                       ctx.progress(50, 100);
                       std::this_thread::sleep_for(pause);
                       ctx.progress(100, 100);
                       return text_result("Progress test completed");
                     }));
  out.push_back(tool("test_error_handling", "Tests error response handling",
                     [](const json&, call_context&) -> json {
                       throw std::runtime_error(
                           "This tool intentionally returns an error for testing");
                     }));
  auto sampling =
      tool("test_sampling", "Tests server-initiated sampling (LLM completion request)",
           [](const json& args, call_context& ctx) {
             json params{
                 {"messages",
                  {{{"role", "user"}, {"content", {{"type", "text"}, {"text", args["prompt"]}}}}}},
                 {"maxTokens", 100}};
             auto reply = ctx.create_message(std::move(params));
             if (!reply)
               return error_result("Sampling failed: " + describe(reply.error()));
             std::string text;
             if (auto c = reply->find("content"); c != reply->end() && c->is_object())
               text = c->value("text", std::string{});
             return text_result("LLM response: " + text);
           });
  sampling.input_schema = string_args({"prompt"});
  out.push_back(std::move(sampling));
  auto elicitation = tool(
      "test_elicitation", "Tests server-initiated elicitation (user input request)",
      [](const json& args, call_context& ctx) {
        json schema{{"type", "object"},
                    {"properties",
                     {{"username", {{"type", "string"}, {"description", "User's response"}}},
                      {"email", {{"type", "string"}, {"description", "User's email address"}}}}},
                    {"required", {"username", "email"}}};
        auto reply = ctx.elicit({{"message", args["message"]}, {"requestedSchema", schema}});
        return text_result(elicit_summary(reply, "User response: "));
      });
  elicitation.input_schema = string_args({"message"});
  out.push_back(std::move(elicitation));
  out.push_back(tool(
      "test_elicitation_sep1034_defaults", "Tests elicitation with default values (SEP-1034)",
      [](const json&, call_context& ctx) {
        json schema{
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
            {"required", json::array()}};
        auto reply =
            ctx.elicit({{"message", "Please review and update the form fields with defaults"},
                        {"requestedSchema", schema}});
        return text_result(elicit_summary(reply, "Elicitation completed: "));
      }));
  out.push_back(tool(
      "test_elicitation_sep1330_enums", "Tests elicitation with enum schema variants (SEP-1330)",
      [](const json&, call_context& ctx) {
        auto titled = [](std::initializer_list<std::pair<const char*, const char*>> xs) {
          json out = json::array();
          for (const auto& [v, t] : xs)
            out.push_back({{"const", v}, {"title", t}});
          return out;
        };
        json schema{
            {"type", "object"},
            {"properties",
             {{"untitledSingle",
               {{"type", "string"},
                {"description", "Select one option"},
                {"enum", {"option1", "option2", "option3"}}}},
              {"titledSingle",
               {{"type", "string"},
                {"description", "Select one option with titles"},
                {"oneOf", titled({{"value1", "First Option"},
                                  {"value2", "Second Option"},
                                  {"value3", "Third Option"}})}}},
              {"legacyEnum",
               {{"type", "string"},
                {"description", "Select one option (legacy)"},
                {"enum", {"opt1", "opt2", "opt3"}},
                {"enumNames", {"Option One", "Option Two", "Option Three"}}}},
              {"untitledMulti",
               {{"type", "array"},
                {"description", "Select multiple options"},
                {"items", {{"type", "string"}, {"enum", {"option1", "option2", "option3"}}}}}},
              {"titledMulti",
               {{"type", "array"},
                {"description", "Select multiple options with titles"},
                {"items",
                 {{"anyOf", titled({{"value1", "First Choice"},
                                    {"value2", "Second Choice"},
                                    {"value3", "Third Choice"}})}}}}}}},
            {"required", json::array()}};
        auto reply = ctx.elicit({{"message", "Please select options from the enum fields"},
                                 {"requestedSchema", schema}});
        return text_result(elicit_summary(reply, "Elicitation completed: "));
      }));
  auto schema_tool =
      tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
           [](const json& args, call_context&) {
             return text_result("JSON Schema 2020-12 tool called with: " + args.dump());
           });
  schema_tool.input_schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"type", "object"},
      {"$defs",
       {{"address",
         {{"type", "object"},
          {"properties", {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
      {"properties", {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
      {"additionalProperties", false}};
  out.push_back(std::move(schema_tool));
  return out;
}

read_result one(resource_content c) {
  return std::vector<resource_content>{std::move(c)};
}

std::vector<resource_definition> resources() {
  std::vector<resource_definition> out;
  auto make = [&](std::string uri, std::string name, std::string description, std::string mime,
                  resource_read_fn read) {
    resource_definition r;
    r.uri = std::move(uri);
    r.name = std::move(name);
    r.description = std::move(description);
    r.mime_type = std::move(mime);
    r.read = std::move(read);
    r.mode = execution::cooperative; // answers at once
    out.push_back(std::move(r));
  };
  make("test://static-text", "Static Text Resource", "A static text resource for testing",
       "text/plain", [](const resource_request& r, call_context&) {
         return one(resource_content::text_content(
             r.uri, "text/plain", "This is the content of the static text resource."));
       });
  make("test://static-binary", "Static Binary Resource", "A static binary resource (image)",
       "image/png", [](const resource_request& r, call_context&) {
         return one(resource_content::blob_content(r.uri, "image/png", png_base64));
       });
  make("test://watched-resource", "Watched Resource", "A resource that can be subscribed to",
       "text/plain", [](const resource_request& r, call_context&) {
         return one(
             resource_content::text_content(r.uri, "text/plain", "Watched resource content"));
       });
  return out;
}

resource_template_definition resource_template() {
  resource_template_definition t;
  t.uri_template = "test://template/{id}/data";
  t.name = "Resource Template";
  t.description = "A resource template with parameter substitution";
  t.mime_type = "application/json";
  t.mode = execution::cooperative;
  t.read = [](const resource_request& r, call_context&) {
    const auto& id = r.variables.at("id");
    // Key order as the reference server writes it (nlohmann would sort).
    auto text = R"({"id":)" + json(id).dump() + R"(,"templateTest":true,"data":)" +
                json("Data for ID: " + id).dump() + "}";
    return one(resource_content::text_content(r.uri, "application/json", std::move(text)));
  };
  return t;
}

prompt_definition prompt(std::string name, std::string description,
                         std::vector<prompt_argument> args, prompt_get_fn get) {
  prompt_definition p;
  p.name = std::move(name);
  p.description = std::move(description);
  p.arguments = std::move(args);
  p.get = std::move(get);
  p.mode = execution::cooperative;
  return p;
}

std::vector<prompt_definition> prompts() {
  std::vector<prompt_definition> out;
  out.push_back(prompt("test_simple_prompt", "A simple prompt without arguments", {},
                       [](const prompt_request&, call_context&) -> prompt_get_result {
                         return json::array({prompt_message(
                             "user", content::text("This is a simple prompt for testing."))});
                       }));
  out.push_back(prompt(
      "test_prompt_with_arguments", "A prompt with required arguments",
      {{"arg1", "", "First test argument", true}, {"arg2", "", "Second test argument", true}},
      [](const prompt_request& r, call_context&) -> prompt_get_result {
        return json::array({prompt_message(
            "user", content::text("Prompt with arguments: arg1='" + r.arguments.at("arg1") +
                                  "', arg2='" + r.arguments.at("arg2") + "'"))});
      }));
  out.push_back(prompt(
      "test_prompt_with_embedded_resource", "A prompt that includes an embedded resource",
      {{"resourceUri", "", "URI of the resource to embed", true}},
      [](const prompt_request& r, call_context&) -> prompt_get_result {
        return json::array(
            {prompt_message("user",
                            content::embedded_text(r.arguments.at("resourceUri"), "text/plain",
                                                   "Embedded resource content for "
                                                   "testing.")),
             prompt_message("user", content::text("Please process the embedded resource above."))});
      }));
  out.push_back(
      prompt("test_prompt_with_image", "A prompt that includes image content", {},
             [](const prompt_request&, call_context&) -> prompt_get_result {
               return json::array(
                   {prompt_message("user", content::image(png_base64, "image/png")),
                    prompt_message("user", content::text("Please analyze the image above."))});
             }));
  return out;
}

} // namespace

caf::expected<void> register_fixtures(feature_registry& features) {
  for (auto& t : tools())
    if (auto ok = features.add_tool(std::move(t)); !ok)
      return ok;
  for (auto& r : resources())
    if (auto ok = features.add_resource(std::move(r)); !ok)
      return ok;
  if (auto ok = features.add_resource_template(resource_template()); !ok)
    return ok;
  for (auto& p : prompts())
    if (auto ok = features.add_prompt(std::move(p)); !ok)
      return ok;
  // Suggestions for test_prompt_with_arguments, filtered by what was typed.
  return features.add_completion(
      completion_ref::prompt("test_prompt_with_arguments"), [](const completion_request& r) {
        completion_values out;
        for (const char* v : {"paris", "park", "party", "test", "testing"})
          if (std::string_view{v}.substr(0, r.value.size()) == r.value)
            out.values.emplace_back(v);
        return out;
      });
}

} // namespace cafmcp::mcp::conformance
