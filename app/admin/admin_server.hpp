#pragma once
// The admin endpoint's listener: HTTP/1.1 on a loopback address, served on a
// thread of its own. Its handler calls supervisors with the blocking facade;
// that is fine here, and only here, because this thread serves nothing else
// (the transports' io threads never block on CAF).

#include <cstdint>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "cafmcp/app/admin/admin_handler.hpp"

namespace cafmcp::app {

class admin_server {
public:
  // Binds host:port (port 0 picks a free one) and starts serving.
  static caf::expected<std::unique_ptr<admin_server>> start(std::shared_ptr<admin_handler> handler,
                                                            const std::string& host, uint16_t port);

  ~admin_server();
  admin_server(const admin_server&) = delete;
  admin_server& operator=(const admin_server&) = delete;

  uint16_t port() const noexcept;
  void stop();

  struct impl;

private:
  explicit admin_server(std::unique_ptr<impl> x);
  std::unique_ptr<impl> impl_;
};

} // namespace cafmcp::app
