#pragma once
// One client connection per channel, speaking one transport. A channel sends
// a JSON-RPC message and returns the text of the answer; HTTP keeps the MCP
// session headers. Everything runs as Asio C++20 coroutines (this target is
// built as C++20; the project stays C++17).

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility> // before awaitable.hpp, which uses std::exchange without it (Boost 1.74)

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "options.hpp"

namespace loadgen {

// A failure of one exchange: the channel is unusable afterwards.
struct channel_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class channel {
public:
  virtual ~channel() = default;
  // Connects from `source` (empty: any local address) and does the handshake.
  virtual boost::asio::awaitable<void> connect(const boost::asio::ip::tcp::endpoint& server,
                                               const std::string& source) = 0;
  // Sends a request; returns the answer (HTTP: throws on a non-200 status).
  virtual boost::asio::awaitable<std::string> request(const std::string& message) = 0;
  // Sends a notification (HTTP: expects 202).
  virtual boost::asio::awaitable<void> notify(const std::string& message) = 0;

  // HTTP only: the MCP session the next requests belong to.
  std::string session_id;
  std::string version;
};

std::unique_ptr<channel> make_channel(boost::asio::io_context& io, const options& opt);

// Streamable HTTP: opens the standalone GET stream of a session on its own
// connection and checks it is 200 text/event-stream.
boost::asio::awaitable<std::shared_ptr<boost::asio::ip::tcp::socket>>
open_get_stream(boost::asio::io_context& io, const options& opt,
                const boost::asio::ip::tcp::endpoint& server, const std::string& source,
                const std::string& session_id, const std::string& version);
// Reads (and drops) whatever comes on a socket until it closes.
boost::asio::awaitable<void> drain(std::shared_ptr<boost::asio::ip::tcp::socket> sock);

// Binds the socket to `source` (port 0) before it connects.
void bind_source(boost::asio::ip::tcp::socket& s, const std::string& source);

} // namespace loadgen
