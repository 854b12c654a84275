// One HTTP/1.1 client connection (keep-alive) for the Streamable HTTP and
// legacy SSE wires: connects on first use, writes one request at a time and
// streams the response body to callbacks as it arrives (SSE responses never
// end on their own). Beast lives in http_conn.cpp only; this header shows
// plain types, so the wires compile without it.
//
// Every method must run on the strand given at creation, and every callback
// runs there.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace cafmcp::client::detail {

using http_strand = boost::asio::strand<boost::asio::io_context::executor_type>;

struct http_request {
  std::string method; // "POST", "GET", "DELETE"
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct http_head {
  int status = 0;
  std::string content_type;
  std::string session_id; // Mcp-Session-Id, if any
};

struct http_callbacks {
  std::function<void(const http_head&)> head;
  std::function<void(std::string_view)> body;
  // `error` is empty when the whole response arrived. `connect_failed`: no
  // connection could be made (refused, timed out). `stale`: a reused idle
  // connection failed before any response byte (the server closed it
  // meanwhile), so the request may be retried on a fresh one.
  std::function<void(const std::string& error, bool connect_failed, bool stale)> done;
};

class http_conn {
public:
  virtual ~http_conn() = default;
  virtual void run(http_request req, http_callbacks cb) = 0;
  // Idle and reusable (the last exchange ended cleanly with keep-alive).
  virtual bool idle() const = 0;
  // Closes the socket; a running exchange ends with an error (reported).
  virtual void close() = 0;
};

std::shared_ptr<http_conn> make_http_conn(http_strand strand, std::string host, std::uint16_t port,
                                          std::chrono::milliseconds connect_timeout);

} // namespace cafmcp::client::detail
