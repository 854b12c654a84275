#pragma once
// The admin endpoint's logic, without sockets: one HTTP-like request in, one
// response out. It lets chaos be driven from outside the process:
//
//   GET  /tree                         the live supervision tree as JSON
//   POST /kill?name=N[&reason=R]       ends the named actor: a supervisor or
//                                      worker id anywhere in the tree ("pool_3",
//                                      "registry", "session_manager", "core_sup"),
//                                      or "session:<id>" for a session's server
//   GET  /health                       the health monitor's latest snapshot
//   GET  /dashboard.json               the dashboard's live view
//   GET  /events?since=NS              supervisor reports newer than NS
//                                      (steady_clock ns), oldest first
//   GET  /listeners                    one line per listener, as the node prints them
// Every request needs the token: "Authorization: Bearer <token>".
// Reasons: kill (default), shutdown, normal, error (an abnormal exit).
//
// It calls supervisors with the blocking facade, so it must run on a thread
// of its own (the admin server's), never on a CAF or transport thread.

#include <memory>
#include <string>

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
  std::string body; // JSON
};

class admin_handler {
public:
  admin_handler(caf::actor_system& sys, node& n, std::string token);
  ~admin_handler();
  admin_handler(const admin_handler&) = delete;
  admin_handler& operator=(const admin_handler&) = delete;

  admin_response handle(const admin_request& req);

private:
  admin_response tree();
  admin_response kill(const std::string& name, const std::string& reason);
  admin_response events(const std::string& since);

  caf::actor_system& sys_;
  node& node_;
  std::string token_;
  std::shared_ptr<report_history> history_;
  caf::actor recorder_;
};

} // namespace cafmcp::app
