#include "cafmcp/app/config/host_port.hpp"

#include <doctest/doctest.h>

using namespace cafmcp::app;

TEST_CASE("HOST:PORT accepts IPv4, names, bracketed IPv6 and port 0") {
  struct row {
    const char* text;
    const char* host;
    std::uint16_t port;
  };
  for (auto [text, host, port] :
       {row{"127.0.0.1:8080", "127.0.0.1", 8080}, row{"0.0.0.0:0", "0.0.0.0", 0},
        row{"localhost:65535", "localhost", 65535}, row{"[::1]:8080", "::1", 8080},
        row{"[::]:9", "::", 9}, row{"[fe80::1]:443", "fe80::1", 443}}) {
    INFO("text: " << text);
    auto result = parse_host_port(text);
    REQUIRE(result.ok());
    CHECK(result.value().host == host);
    CHECK(result.value().port == port);
  }
}

TEST_CASE("a malformed HOST:PORT says what is wrong") {
  struct row {
    const char* text;
    const char* fragment;
  };
  for (auto [text, fragment] :
       {row{"8080", "missing ':PORT'"}, row{"127.0.0.1", "missing ':PORT'"},
        row{"127.0.0.1:", "port must be a number"}, row{"127.0.0.1:http", "port must be a number"},
        row{"127.0.0.1:65536", "port must be a number"},
        row{"127.0.0.1:-1", "port must be a number"},
        row{"127.0.0.1:123456", "port must be a number"}, row{":8080", "host must not be empty"},
        row{"::1:8080", "in brackets"}, row{"[::1:8080", "missing ']'"},
        row{"[::1]8080", "missing ':PORT'"}, row{"[127.0.0.1]:80", "brackets are for IPv6"},
        row{"bad host:80", "IP address or a host name"}}) {
    INFO("text: " << text);
    auto result = parse_host_port(text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.errors()[0].message.find(fragment) != std::string::npos);
  }
}
