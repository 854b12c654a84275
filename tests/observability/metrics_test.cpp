// /metrics: the Prometheus text exposition of a live node that served real
// sessions, checked by Debian's promtool and by the figures it must show.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sys/wait.h>

#include "obs_support.hpp"

using obs_test::admin_fixture;
using obs_test::json;

namespace {

// The value of one sample line `name{labels} value`, or -1 when absent.
double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos)
    return -1;
  auto start = at + 1 + series.size() + 1;
  return std::stod(text.substr(start, text.find('\n', start) - start));
}

// Runs `promtool check metrics` on `text`; returns (exit status, its output).
std::pair<int, std::string> promtool(const std::string& text) {
  std::string tool = CAFMCP_PROMTOOL;
  REQUIRE_MESSAGE(!tool.empty(), "promtool not found: scripts/install-deps.sh installs Debian's "
                                 "prometheus package");
  char path[] = "/tmp/cafmcp-metrics-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream{path} << text;
  auto cmd = tool + " check metrics < " + path + " 2>&1";
  std::string out;
  auto* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof(buf), p)) > 0;)
    out.append(buf, n);
  auto status = ::pclose(p);
  ::unlink(path);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

} // namespace

TEST_CASE("metrics of a node that served sessions pass promtool check metrics") {
  admin_fixture f;
  // Real sessions: handshakes, tool calls, an unknown method, a ping.
  std::vector<tree_test::session> sessions;
  for (int i = 0; i < 6; ++i) {
    auto s = f.open_initialized();
    REQUIRE(s);
    REQUIRE(f.serves(*s));
    sessions.push_back(*s);
  }
  auto unknown = f.call(sessions[0], "no/such/method");
  REQUIRE(unknown);
  REQUIRE(unknown->contains("error"));
  REQUIRE(f.call(sessions[1], "ping"));
  // A pool restart and a registry recovery, so that those series exist.
  REQUIRE(f.kill("pool_1").status == 200);
  REQUIRE(f.kill("registry").status == 200);
  std::string text;
  REQUIRE(obs_test::within([&] {
    text = f.get("/metrics", false).body;
    return sample(
               text,
               R"(cafmcp_supervisor_restarts_total{child="pool_1",supervisor="connection_pool_sup"})") >=
               1 &&
           sample(
               text,
               R"(cafmcp_supervisor_recovery_seconds_count{child="registry",supervisor="core_sup"})") >=
               1 &&
           sample(text, "cafmcp_health_checks_total") >= 1;
  }));

  auto [status, output] = promtool(text);
  INFO("promtool: " << output);
  INFO("metrics:\n" << text.substr(0, 4000));
  CHECK(status == 0);

  auto r = f.get("/metrics", false);
  CHECK(r.status == 200);
  CHECK(r.head.find("text/plain; version=0.0.4") != std::string::npos);

  // Requests by method and outcome, and their latency histogram.
  CHECK(sample(text, R"(cafmcp_requests_total{method="initialize",outcome="ok"})") >= 6);
  CHECK(sample(text, R"(cafmcp_requests_total{method="tools/call",outcome="ok"})") >= 6);
  CHECK(sample(text, R"(cafmcp_requests_total{method="other",outcome="error"})") >= 1);
  CHECK(sample(text, R"(cafmcp_requests_total{method="ping",outcome="ok"})") >= 1);
  CHECK(sample(text, R"(cafmcp_request_duration_seconds_count{method="tools/call"})") >= 6);
  CHECK(sample(text, R"(cafmcp_request_duration_seconds_bucket{method="tools/call",le="+Inf"})") ==
        sample(text, R"(cafmcp_request_duration_seconds_count{method="tools/call"})"));
  // Sessions per transport (pool_1's sessions died with it).
  CHECK(sample(text, R"(cafmcp_sessions_opened_total{transport="in_process"})") >= 6);
  CHECK(sample(text, R"(cafmcp_sessions{transport="in_process"})") >= 1);
  CHECK(sample(text, R"(cafmcp_sessions{transport="streamable_http"})") == 0);
  // The original design's key metrics.
  CHECK(sample(text, R"(cafmcp_pool_connections{pool="pool_0"})") >= 0);
  CHECK(sample(text, R"(cafmcp_routing_latency_seconds_count{step="open_session"})") >= 6);
  CHECK(sample(text, R"(cafmcp_domain_up{domain="connection_pool_sup"})") >= 0);
  CHECK(sample(text, R"(cafmcp_pool_up{pool="pool_0"})") >= 0);
  CHECK(sample(text, "cafmcp_sse_streams") == 0);
  CHECK(sample(text, "cafmcp_event_store_events") >= 0);
  CHECK(sample(text, "cafmcp_tasks") >= 0);
  CHECK(sample(text, R"(cafmcp_alerts_fired_total{alert="pool_restart_rate"})") >= 0);
  CHECK(text.find("# HELP cafmcp_requests_total ") != std::string::npos);
  CHECK(text.find("# TYPE cafmcp_request_duration_seconds histogram") != std::string::npos);
}

TEST_CASE("metrics count sessions and SSE streams of the Streamable HTTP transport") {
  admin_fixture f;
  auto http_port = [&] {
    for (auto& l : f.node->listening())
      if (l.rfind("http ", 0) == 0) {
        auto colon = l.rfind(':');
        return static_cast<uint16_t>(std::stoi(l.substr(colon + 1)));
      }
    return uint16_t{0};
  }();
  REQUIRE(http_port != 0);
  // initialize over a real socket, asking for an SSE answer.
  int fd = obs_test::connect_to(http_port);
  REQUIRE(fd >= 0);
  std::string body =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"obs","version":"1"}}})";
  std::string req = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Accept: application/json, text/event-stream\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  REQUIRE(raw.find("200") != std::string::npos);
  std::string text;
  CHECK(obs_test::within([&] {
    text = f.get("/metrics", false).body;
    return sample(text, R"(cafmcp_sessions_opened_total{transport="streamable_http"})") >= 1 &&
           sample(text, R"(cafmcp_requests_total{method="initialize",outcome="ok"})") >= 1;
  }));
  INFO(text.substr(0, 3000));
  // Whether the server answered with SSE or JSON is its choice; if SSE, it was counted.
  if (raw.find("text/event-stream") != std::string::npos)
    CHECK(sample(text, "cafmcp_sse_streams_opened_total") >= 1);
  CHECK(obs_test::within(
      [&] { return sample(f.get("/metrics", false).body, "cafmcp_sse_streams") == 0; }));
}

TEST_CASE("metrics need the token only when admin.metrics_require_token is set") {
  SUBCASE("default: open") {
    admin_fixture f;
    CHECK(f.get("/metrics", false).status == 200);
    CHECK(f.get("/health/live", false).status == 200);
    CHECK(f.get("/tree", false).status == 401);
  }
  SUBCASE("required") {
    admin_fixture f{{}, true};
    CHECK(f.get("/metrics", false).status == 401);
    CHECK(f.get("/health", false).status == 401);
    CHECK(f.get("/metrics", true).status == 200);
  }
}

TEST_CASE("metrics survive a crash of the metrics service") {
  admin_fixture f;
  auto s = f.open_initialized();
  REQUIRE(s);
  REQUIRE(f.serves(*s));
  // A pool other than the session's.
  auto pool = "pool_" + std::to_string((f.pool_of(*s) + 1) % 4);
  REQUIRE(f.kill(pool).status == 200);
  std::string restarts =
      "cafmcp_supervisor_restarts_total{child=\"" + pool + "\",supervisor=\"connection_pool_sup\"}";
  REQUIRE(obs_test::within([&] { return sample(f.get("/metrics", false).body, restarts) == 1; }));
  auto calls = R"(cafmcp_requests_total{method="tools/call",outcome="ok"})";
  auto before = sample(f.get("/metrics", false).body, calls);
  REQUIRE(f.kill("metrics").status == 200);
  REQUIRE(obs_test::within([&] {
    auto text = f.get("/metrics", false).body;
    // Its own restart is not in its series (it was not running): recovery_manager measured it.
    return sample(text,
                  R"(cafmcp_recoveries_total{child="metrics",supervisor="monitoring_sup"})") >= 1;
  }));
  auto text = f.get("/metrics", false).body;
  CHECK(sample(text, restarts) == 1);
  CHECK(sample(text, calls) == before);
  CHECK(f.serves(*s));
}

TEST_CASE("killing the whole monitoring domain touches no session and no count") {
  admin_fixture f;
  // Before its first check round the node is not serving yet (503): wait for it.
  REQUIRE(obs_test::within([&] { return f.get("/health", false).status == 200; }));
  std::vector<tree_test::session> sessions;
  for (int i = 0; i < 4; ++i) {
    auto s = f.open_initialized();
    REQUIRE(s);
    sessions.push_back(*s);
  }
  auto calls = R"(cafmcp_requests_total{method="tools/call",outcome="ok"})";
  for (auto& s : sessions)
    REQUIRE(f.serves(s));
  REQUIRE(sample(f.get("/metrics", false).body, calls) == 4);
  for (auto name : {"metrics", "dashboard", "simple_monitor", "monitoring_sup"}) {
    REQUIRE(f.kill(name).status == 200);
    // While monitoring restarts, /metrics still answers and sessions still serve.
    CHECK(f.get("/metrics", false).status == 200);
    for (auto& s : sessions)
      CHECK(f.serves(s));
  }
  CHECK(obs_test::within([&] {
    auto text = f.get("/metrics", false).body;
    return sample(text, calls) == 4 + 4 * 4 &&
           sample(text,
                  R"(cafmcp_recoveries_total{child="monitoring_sup",supervisor="cafmcp_sup"})") >=
               1;
  }));
  auto health = f.get("/health", false);
  INFO(health.body);
  CHECK(health.status == 200);
}
