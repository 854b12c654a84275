// HOST:PORT as the command line writes a listener address (DESIGN.md §8).
#pragma once

#include "cafmcp/app/config/config_error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace cafmcp::app {

struct host_port {
  std::string host; // IPv6 without brackets, as in the config file
  std::uint16_t port = 0;
};

/// Accepts "127.0.0.1:8080", "localhost:0" and "[::1]:8080". Errors carry
/// no key: the caller knows which flag the text came from.
config_result<host_port> parse_host_port(std::string_view text);

} // namespace cafmcp::app
