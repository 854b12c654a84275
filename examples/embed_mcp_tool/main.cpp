// Embeds a cafmcp node in an application's own CAF actor system and serves
// one MCP tool, `count_words`, whose handler logs and reports progress
// through its call_context.
//
//   embed_mcp_tool [--port N]   serve it over Streamable HTTP on
//                               http://127.0.0.1:N/mcp until SIGINT/SIGTERM
//   embed_mcp_tool --self-test  open one session in-process, initialize, call
//                               the tool, check the log, progress and result
//                               that come back, and exit 0 (1 on any failure)
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <cafmcp/actors/mcp/content.hpp>
#include <cafmcp/actors/mcp/mcp_error.hpp>
#include <cafmcp/actors/mcp/server_config.hpp>
#include <cafmcp/actors/mcp/session_protocol.hpp>
#include <cafmcp/app/node/node.hpp>

namespace mcp = cafmcp::mcp;
using nlohmann::json;

namespace {

// The application's feature: counts the words of `text`, one progress step
// per word, and logs what it does. Sync handlers run on their own thread, so
// they may block; they should still watch is_cancelled().
mcp::tool_definition count_words_tool() {
  mcp::tool_definition t;
  t.name = "count_words";
  t.title = "Count words";
  t.description = "Counts the words of a text";
  t.input_schema = {{"type", "object"},
                    {"properties", {{"text", {{"type", "string"}}}}},
                    {"required", {"text"}},
                    {"additionalProperties", false}};
  t.output_schema = json{{"type", "object"},
                         {"properties", {{"words", {{"type", "integer"}}}}},
                         {"required", {"words"}}};
  t.handler = [](const json& args, mcp::call_context& ctx) -> json {
    ctx.log(cafmcp::protocol::log_level::info, "counting words");
    std::istringstream in{args.at("text").get<std::string>()};
    std::vector<std::string> words;
    for (std::string w; in >> w;)
      words.push_back(w);
    for (size_t i = 0; i < words.size(); ++i) {
      if (ctx.is_cancelled())
        return mcp::error_result("cancelled");
      ctx.progress(static_cast<double>(i + 1), static_cast<double>(words.size()), words[i]);
    }
    return mcp::structured_result({{"words", words.size()}});
  };
  return t;
}

// Talks to one session as a transport would (session_protocol.hpp), with the
// scoped actor as the session's sink.
class in_process_client {
public:
  in_process_client(caf::scoped_actor& self, caf::actor broker) : self_(self) {
    self_
        ->request(broker, std::chrono::seconds{10}, mcp::session_open_atom::value,
                  mcp::transport_kind::in_process, caf::actor_cast<caf::actor>(self_))
        .receive([&](caf::actor& server, std::string&) { server_ = server; },
                 [&](caf::error& e) {
                   std::fprintf(stderr, "open failed: %s\n", to_string(e).c_str());
                 });
  }

  explicit operator bool() const { return static_cast<bool>(server_); }

  void send(const json& msg) { self_->send(server_, mcp::session_in_atom::value, msg.dump()); }

  // Everything the session writes until the response to `id` (included).
  std::vector<json> until_response(int id) {
    std::vector<json> out;
    for (bool done = false; !done;)
      self_->receive(
          [&](mcp::session_out_atom, std::string& text, std::string&) {
            out.push_back(json::parse(text));
            done = out.back().value("id", json{}) == id && !out.back().contains("method");
          },
          caf::after(std::chrono::seconds{10}) >> [&] { done = true; });
    return out;
  }

  json call(int id, const std::string& method, json params) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    auto msgs = until_response(id);
    return msgs.empty() ? json{} : msgs.back();
  }

private:
  caf::scoped_actor& self_;
  caf::actor server_;
};

int self_test(cafmcp::app::node& node, caf::actor_system& sys) {
  caf::scoped_actor self{sys};
  in_process_client client{self, node.broker()};
  if (!client)
    return 1;
  auto init = client.call(1, "initialize",
                          {{"protocolVersion", "2025-11-25"},
                           {"capabilities", json::object()},
                           {"clientInfo", {{"name", "self-test"}, {"version", "1"}}}});
  std::printf("initialize -> %s\n", init.dump().c_str());
  client.send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  client.send({{"jsonrpc", "2.0"},
               {"id", 2},
               {"method", "tools/call"},
               {"params",
                {{"name", "count_words"},
                 {"arguments", {{"text", "actors all the way down"}}},
                 {"_meta", {{"progressToken", "words"}}}}}});
  int logs = 0;
  int progress = 0;
  json result;
  for (const auto& msg : client.until_response(2)) {
    std::printf("<- %s\n", msg.dump().c_str());
    auto method = msg.value("method", std::string{});
    logs += method == "notifications/message";
    progress += method == "notifications/progress";
    if (msg.contains("result"))
      result = msg["result"];
  }
  bool ok = init["result"]["serverInfo"]["name"] == "embed_mcp_tool" && logs == 1 &&
            progress == 5 && result["structuredContent"] == json{{"words", 5}};
  std::printf("self-test %s\n", ok ? "passed" : "FAILED");
  return ok ? 0 : 1;
}

std::atomic<bool> stop_requested{false};

} // namespace

int main(int argc, char** argv) {
  bool test_mode = false;
  unsigned long port = 8080;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--self-test") {
      test_mode = true;
    } else if (arg == "--port" && i + 1 < argc) {
      port = std::strtoul(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--port N] [--self-test]\n", argv[0]);
      return 2;
    }
  }
  if (port > 65535) {
    std::fprintf(stderr, "--port must be 0..65535\n");
    return 2;
  }

  // The application's own actor system; the node renders its errors by name.
  caf::actor_system_config cfg;
  cafmcp::app::add_error_categories(cfg);
  caf::actor_system sys{cfg};

  // The features every session of the node serves.
  auto server = std::make_shared<mcp::server_config>();
  server->info.name = "embed_mcp_tool";
  server->info.version = "1.0.0";
  if (auto ok = server->features->add_tool(count_words_tool()); !ok) {
    std::fprintf(stderr, "add_tool: %s\n", mcp::describe(ok.error()).c_str());
    return 1;
  }

  cafmcp::app::node_config node_cfg;
  node_cfg.transports.http.port = static_cast<std::uint16_t>(test_mode ? 0 : port);
  node_cfg.admin.enabled = false; // this application has no use for it
  cafmcp::app::node node{sys, node_cfg, server};
  if (auto err = node.start()) {
    std::fprintf(stderr, "node start: %s\n", sys.render(err).c_str());
    return 1;
  }
  for (const auto& line : node.listening())
    std::printf("listening: %s\n", line.c_str());
  std::fflush(stdout);

  int rc = 0;
  if (test_mode) {
    rc = self_test(node, sys);
  } else {
    std::signal(SIGINT, [](int) { stop_requested = true; });
    std::signal(SIGTERM, [](int) { stop_requested = true; });
    while (!stop_requested)
      std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  node.stop();
  return rc;
}
