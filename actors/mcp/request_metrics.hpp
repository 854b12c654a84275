#pragma once
// The session server's hooks into the live metrics table (services/metrics_live.hpp): the
// session counted per transport for as long as the server lives, and every request timed from
// its arrival to its answer and counted by method and outcome. No actor message, no lock: a
// few relaxed atomic adds per request on the table the node installed (nothing when none is).

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "cafmcp/actors/mcp/session_protocol.hpp"
#include "cafmcp/actors/services/metrics_live.hpp"
#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/message.hpp"

namespace cafmcp::mcp {

class request_metrics {
public:
  request_metrics() = default;
  request_metrics(const request_metrics&) = delete;
  request_metrics& operator=(const request_metrics&) = delete;
  ~request_metrics() {
    if (table_)
      table_->session_closed(transport_);
  }

  void session_opened(transport_kind kind) {
    table_ = services::live_metrics::sink();
    transport_ = static_cast<std::size_t>(kind);
    if (table_)
      table_->session_opened(transport_);
  }

  void request_arrived(const protocol::message_id& id, std::string_view method) {
    if (table_)
      started_.push_back({id, services::live_metrics::method_index(method), clock::now()});
  }

  // An answer to `id`: a result (`error_code` empty) or a JSON-RPC error.
  void answered(const std::optional<protocol::message_id>& id, std::optional<int> error_code) {
    if (!table_)
      return;
    auto outcome = !error_code ? services::request_outcome::ok
                   : *error_code == protocol::error_code::internal_error
                       ? services::request_outcome::failed
                       : services::request_outcome::error;
    auto it = started_.end();
    if (id)
      for (auto i = started_.begin(); i != started_.end(); ++i)
        if (i->id == *id) {
          it = i;
          break;
        }
    if (it == started_.end()) {
      // Answered without being dispatched (unreadable input): counted, not timed.
      table_->request_done(services::live_metrics::num_methods - 1, outcome, -1);
      return;
    }
    table_->request_done(it->method, outcome,
                         std::chrono::duration<double>(clock::now() - it->at).count());
    *it = std::move(started_.back());
    started_.pop_back();
  }

private:
  using clock = std::chrono::steady_clock;
  struct pending {
    protocol::message_id id;
    std::size_t method;
    clock::time_point at;
  };
  services::live_metrics* table_ = nullptr;
  std::size_t transport_ = 0;
  // A session has few requests in flight: a vector searched linearly allocates nothing once
  // warm, unlike a hash map's node per request.
  std::vector<pending> started_;
};

} // namespace cafmcp::mcp
