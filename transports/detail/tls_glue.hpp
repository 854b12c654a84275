#pragma once
// Between http_plain.cpp (the accept loop) and http_tls.cpp (TLS connections).

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "cafmcp/transports/detail/connection_slots.hpp"
#include "cafmcp/transports/ports.hpp"
#include "cafmcp/transports/transport_config.hpp"

namespace cafmcp::transports::detail {

void start_tls_http_connection(boost::asio::ip::tcp::socket socket,
                               std::shared_ptr<http_handler> handler,
                               const transport_limits& limits, connection_slot slot,
                               std::shared_ptr<void> tls_context);

} // namespace cafmcp::transports::detail
