#pragma once
// How an async handler answers. Copyable; the first call wins and later ones
// are ignored. Callable from any thread. If every copy is dropped without an
// answer, the caller gets an error instead of waiting forever.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cafmcp/protocol/rpc_error.hpp"

namespace cafmcp::mcp {

namespace detail {
struct async_result_state;
} // namespace detail

class async_result {
public:
  explicit async_result(std::shared_ptr<detail::async_result_state> state);

  // The handler's result (for a tool: a CallToolResult object).
  void operator()(nlohmann::json result) const;

  // A failed execution: for a tool an isError result with this text.
  void fail(std::string message) const;

  // A JSON-RPC error reply (for a tool only -32042, URL elicitation
  // required, stays a JSON-RPC error; others become isError results).
  void fail(protocol::rpc_error error) const;

  // True once an answer was given.
  bool done() const noexcept;

private:
  std::shared_ptr<detail::async_result_state> state_;
};

} // namespace cafmcp::mcp
