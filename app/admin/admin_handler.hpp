#pragma once
// The admin endpoint's logic, without sockets: one HTTP-like request in, one
// response out. It lets chaos be driven from outside the process:
//
//   GET  /tree                         the live supervision tree as JSON
//   POST /kill?name=N[&reason=R]       ends the named actor: a supervisor or
//                                      worker id anywhere in the tree ("pool_3",
//                                      "registry", "session_manager", "core_sup"),
//                                      or "session:<id>" for a session's server
//   GET  /health                       every failure domain's health; 200 serving, 503 not
//   GET  /health/live, /health/ready   liveness and readiness (health_page.hpp)
//   GET  /metrics                      Prometheus text exposition 0.0.4 (metrics_page.hpp)
//   GET  /alerts                       simple_monitor's alerts, active first
//   GET  /dashboard                    the live dashboard page (HTML, dashboard_html.hpp)
//   GET  /dashboard/events             its server-sent event stream of dashboard documents
//   GET  /dashboard.json               one dashboard document (dashboard_view.hpp)
//   GET  /events?since=NS              supervisor reports newer than NS
//                                      (steady_clock ns), oldest first
//   GET  /listeners                    one line per listener, as the node prints them
// Every request needs the token: "Authorization: Bearer <token>", except /metrics and
// /health* unless `metrics_require_token` (Prometheus and load balancers send none). A browser
// cannot set that header for a page or an EventSource, so the read-only GETs /dashboard and
// /dashboard/events also accept "?token=<token>"; /kill never does (no token in a link can
// kill anything).
// Reasons: kill (default), shutdown, normal, error (an abnormal exit).
//
// It calls supervisors with the blocking facade, so it must run on a thread
// of its own (the admin server's), never on a CAF or transport thread.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <caf/fwd.hpp>

#include "cafmcp/app/admin/report_history.hpp"
#include "cafmcp/app/node/node.hpp"

namespace cafmcp::app {

struct admin_request {
  std::string method; // GET, POST
  std::string target; // path and query, e.g. "/kill?name=pool_3&reason=kill"
  std::string authorization;
};

struct admin_response {
  int status = 200;
  std::string body; // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  // The server keeps the connection and sends `next_event()` whenever it changes.
  bool event_stream = false;
};

class dashboard_feed;

class admin_handler {
public:
  admin_handler(caf::actor_system& sys, node& n, std::string token,
                bool metrics_require_token = false);
  ~admin_handler();
  admin_handler(const admin_handler&) = delete;
  admin_handler& operator=(const admin_handler&) = delete;

  admin_response handle(const admin_request& req);

  // For event streams: (version, document) of the dashboard; the server sends a document as an
  // SSE event whenever the version differs from the one it sent last.
  std::pair<uint64_t, std::string> dashboard_event();

private:
  admin_response tree();
  admin_response kill(const std::string& name, const std::string& reason);
  admin_response alerts();
  admin_response events(const std::string& since);

  caf::actor_system& sys_;
  node& node_;
  std::string token_;
  bool metrics_require_token_;
  std::unique_ptr<dashboard_feed> feed_;
  std::shared_ptr<report_history> history_;
  caf::actor recorder_;
};

} // namespace cafmcp::app
