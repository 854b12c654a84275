// TLS for HTTP and WebSocket with a self-signed certificate made at test time
// by the openssl command line tool (skipped when it is missing).

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "fixture.hpp"

using namespace cafmcp::test;

namespace {

// Writes cert.pem and key.pem to a fresh temporary folder; empty on failure.
std::string make_self_signed() {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0)
    return {};
  auto dir = std::filesystem::temp_directory_path() /
             ("cafmcp-tls-" + std::to_string(::getpid()) + "-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  auto cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
             (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() +
             " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0)
    return {};
  return dir.string();
}

} // namespace

TEST_CASE_FIXTURE(transport_fixture, "tls: https and wss work with a self-signed certificate") {
  auto dir = make_self_signed();
  if (dir.empty()) {
    MESSAGE("openssl CLI not available: TLS test skipped");
    return;
  }
  auto cfg = http_config();
  cfg.tls.cert_file = dir + "/cert.pem";
  cfg.tls.key_file = dir + "/key.pem";
  auto st = start(cfg);
  CHECK(st.t->describe().find("(tls)") != std::string::npos);
  {
    http_client c{st.port, true};
    REQUIRE(c.ok());
    auto r = c.post_mcp(initialize());
    REQUIRE(r);
    CHECK(r->status == 200);
    auto sid = r->header("mcp-session-id");
    REQUIRE(c.send("POST", "/mcp",
                   {{"Content-Type", "application/json"},
                    {"Accept", "application/json, text/event-stream"},
                    {"Mcp-Session-Id", sid}},
                   request(2, "progress")));
    auto head = c.read_head();
    REQUIRE(head);
    CHECK(head->header("content-type") == "text/event-stream");
    int events = 0;
    while (c.next_event())
      ++events;
    CHECK(events == 3);
  }
  {
    ws_client w{st.port, true};
    REQUIRE(w.ok());
    auto res = w.handshake("/ws");
    REQUIRE(res);
    CHECK(res->status == 101);
    REQUIRE(w.send_text(request(1, "echo", {{"tls", true}})));
    auto m = w.recv_text();
    REQUIRE(m);
    CHECK(parse(*m)["result"]["tls"] == true);
  }
  // A plain-text client gets nowhere.
  http_client plain{st.port};
  REQUIRE(plain.ok());
  plain.send("POST", "/mcp", {}, initialize());
  CHECK(!plain.read_response(2s));
  // Bad files are a start error.
  auto bad = http_config();
  bad.tls.cert_file = dir + "/missing.pem";
  bad.tls.key_file = dir + "/key.pem";
  CHECK(!tr::transport::make(sys(), io(), broker_ref(), bad));
  std::filesystem::remove_all(dir);
}
